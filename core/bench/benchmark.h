#pragma once
// Random-weight throughput of the CLIP image encoder (inference) for `radapter bench`.
// Torch-free API.
#include "clip/clipencoder.h"

#include <string>

namespace ra {

struct BenchOptions {
    std::string arch = "ViT-B/32";
    int batch = 16;
    int steps = 10;   // timed iterations (after warm-up)
    int warmup = 2;
    Precision precision = Precision::Fp32;
    int threads = 0;  // 0: all cores
};

struct BenchResult {
    double inferenceImgPerS = 0;
    double inferenceSecondsPerBatch = 0;
    int threads = 0;
    std::string arch;
    std::string precision;
    int batch = 0;
    int steps = 0;
};

// Throws ra::Error for an unknown architecture.
BenchResult runBenchmark(const BenchOptions& options);

} // namespace ra
