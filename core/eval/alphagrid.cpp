#include "eval/alphagrid.h"

#include "util/error.h"
#include "util/numbertext.h"

#include <cmath>
#include <sstream>

namespace ra {
namespace {

double number(const std::string& text, const std::string& what, const std::string& spec)
{
    if (const auto v = finiteNumberFrom(text)) return *v;
    throw Error(what + " '" + spec + "': '" + text + "' is not a finite number.");
}

std::vector<std::string> split(const std::string& s, char sep)
{
    std::vector<std::string> parts;
    std::string part;
    std::stringstream ss(s);
    while (std::getline(ss, part, sep)) parts.push_back(part);
    if (!s.empty() && s.back() == sep) parts.push_back({});
    return parts;
}

} // namespace

double roundAlpha(double alpha) { return std::round(alpha * 1e6) / 1e6; }

void checkAlpha(double alpha, const std::string& what)
{
    if (!std::isfinite(alpha) || alpha < kMinAlpha || alpha > kMaxAlpha) {
        std::ostringstream v;
        v << alpha;
        throw Error(what + " must be a finite number from 0 to 3, got " + v.str() + ".");
    }
}

AlphaGrid AlphaGrid::standard()
{
    AlphaGrid g;
    for (int i = 0; i <= 15; ++i) g.values.push_back(roundAlpha(i / 10.0));
    return g;
}

AlphaGrid AlphaGrid::parse(const std::string& spec, const std::string& what)
{
    AlphaGrid g;
    if (spec.find(':') != std::string::npos) {
        const auto parts = split(spec, ':');
        if (parts.size() != 3) throw Error(what + " '" + spec + "': a range is START:STOP:STEP, three numbers.");
        const double a = number(parts[0], what, spec), b = number(parts[1], what, spec),
                     step = number(parts[2], what, spec);
        checkAlpha(a, what + " START");
        checkAlpha(b, what + " STOP");
        if (b < a) throw Error(what + " '" + spec + "': STOP is below START.");
        if (!(step > 0)) throw Error(what + " '" + spec + "': STEP must be positive.");
        const double count = std::floor((b - a) / step + 1e-9) + 1;
        if (count > double(kMaxAlphaGridPoints))
            throw Error(what + " '" + spec + "': " + std::to_string(int64_t(std::min(count, 1e15))) +
                        " points; at most " + std::to_string(kMaxAlphaGridPoints) + ".");
        for (int64_t i = 0; i < int64_t(count); ++i) g.values.push_back(roundAlpha(a + double(i) * step));
        return g;
    }
    const auto parts = split(spec, ',');
    if (parts.empty()) throw Error(what + " lists no values.");
    if (parts.size() > kMaxAlphaGridPoints)
        throw Error(what + ": " + std::to_string(parts.size()) + " values; at most " +
                    std::to_string(kMaxAlphaGridPoints) + ".");
    for (const auto& p : parts) {
        const double v = number(p, what, spec);
        checkAlpha(v, what);
        g.values.push_back(roundAlpha(v));
    }
    return g;
}

std::vector<double> AlphaGrid::coarseToFine() const
{
    const int total = int(values.size());
    std::vector<double> order;
    std::vector<bool> queued(values.size(), false);
    auto enqueue = [&](int i) {
        if (i >= 0 && i < total && !queued[size_t(i)]) {
            queued[size_t(i)] = true;
            order.push_back(values[size_t(i)]);
        }
    };
    enqueue(0);
    enqueue(total - 1);
    for (int gap = total - 1; gap > 1; gap = (gap + 1) / 2)
        for (int i = 0; i < total; i += gap) enqueue(i + gap / 2);
    for (int i = 0; i < total; ++i) enqueue(i);
    return order;
}

} // namespace ra
