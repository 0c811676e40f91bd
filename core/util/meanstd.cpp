#include "util/meanstd.h"

#include <cmath>

namespace ra {

MeanStd meanStd(const std::vector<double>& values)
{
    MeanStd m;
    if (values.empty()) return m;
    for (double v : values) m.mean += v;
    m.mean /= double(values.size());
    if (values.size() < 2) return m;
    double squares = 0;
    for (double v : values) squares += (v - m.mean) * (v - m.mean);
    m.std = std::sqrt(squares / double(values.size() - 1));
    return m;
}

} // namespace ra
