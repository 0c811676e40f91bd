#pragma once
// The mean and sample standard deviation of a few repeated measurements (seeds of the demo, of a
// search's combination, of the runs browser's seed groups): one formula for every place that
// reports "mean ± std". Torch-free.
#include <vector>

namespace ra {

struct MeanStd {
    double mean = 0;
    double std = 0; // sample standard deviation (n - 1); 0 for fewer than two values
};

// Of VALUES; the mean of none is 0.
MeanStd meanStd(const std::vector<double>& values);

} // namespace ra
