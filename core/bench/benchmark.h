#pragma once
// Random-weight throughput for `radapter bench`: image-encoder inference and an R-Adapter
// training step.
// Torch-free API.
#include "clip/clipencoder.h"

#include <string>

namespace ra {

struct BenchOptions {
    std::string arch = "ViT-B/32";
    int batch = 16;
    int steps = 10; // timed iterations (after warm-up)
    int warmup = 2;
    Precision precision = Precision::Auto;
    int threads = 0; // 0: all cores
    bool inference = true;
    bool train = true;
};

struct BenchResult {
    double inferenceImgPerS = 0;
    double inferenceSecondsPerBatch = 0;
    // One R-Adapter training step: both towers with full-rank adapters, MPM-NCE on batch image-
    // caption pairs, backward, AdamW, EMA update.
    double trainImgPerS = 0;
    double trainSecondsPerStep = 0;
    double peakRssMb = 0; // the process's peak resident memory after both measurements
    int threads = 0;
    std::string arch;
    std::string precision;        // as asked: auto, fp32, bf16
    std::string computePrecision; // as run on this CPU: fp32, bf16, bf16-emulated
    std::string device;           // "cpu", "cuda:0"
    int batch = 0;
    int steps = 0;
};

// Throws ra::Error for an unknown architecture.
BenchResult runBenchmark(const BenchOptions& options);

} // namespace ra
