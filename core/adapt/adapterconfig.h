#pragma once
// R-Adapter's hyper-parameters (torch-free). Formulas: adapter h -> h + s * m * F h with F = W
// (full rank, d x d, zero-initialised) or F = B A (rank r < d, A Xavier, B zero); s a learnable
// gate (init 0.1); m the dropping mask, Bernoulli(1-p)/(1-p) during training, 1 at inference.
#include <string>

namespace ra {

enum class DropGranularity { Sample, Batch, Token };

const char* granularityName(DropGranularity g);
// Throws ra::Error for anything but "sample", "batch", "token".
DropGranularity granularityFromName(const std::string& name);

struct AdapterConfig {
    int rank = 0; // 0 or >= width: full rank; 0 < rank < width: low rank B A
    double dropProbability = 0.2;
    DropGranularity granularity = DropGranularity::Sample;
    double gateInit = 0.1;
    bool vision = true; // adapters in the image tower
    bool text = true;   // adapters in the text tower
};

} // namespace ra
