#include "eval/alphaselection.h"

#include "util/error.h"

#include <cmath>

namespace ra {

AlphaChoice chooseAlpha(const std::map<double, double>& curve, int64_t count)
{
    if (curve.empty()) throw Error("alpha selection: the validation curve is empty");
    if (count <= 0) throw Error("alpha selection: the validation set is empty");
    AlphaChoice c;
    c.bestAccuracy = -1;
    for (const auto& [alpha, acc] : curve) // ascending alpha: strict > keeps the smaller on ties
        if (acc > c.bestAccuracy + 1e-12) {
            c.bestAccuracy = acc;
            c.argmax = alpha;
        }
    const double p = c.bestAccuracy;
    c.standardError = std::sqrt(p * (1 - p) / double(count));
    c.oneStandardError = c.argmax;
    for (const auto& [alpha, acc] : curve)
        if (acc >= p - c.standardError - 1e-12) {
            c.oneStandardError = alpha;
            break;
        }
    return c;
}

} // namespace ra
