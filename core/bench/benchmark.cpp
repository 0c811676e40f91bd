#include "bench/benchmark.h"

#include "clip/clipencoder_p.h"
#include "util/runtime.h"

#include <chrono>

namespace ra {

BenchResult runBenchmark(const BenchOptions& o)
{
    setThreadCount(o.threads);
    const ClipConfig config = ClipConfig::preset(o.arch);
    auto encoder = ClipEncoder::random(config, 0);
    encoder->setPrecision(o.precision);
    auto& model = encoder->impl().model;
    torch::manual_seed(1);
    auto images = torch::randn({o.batch, 3, config.imageResolution, config.imageResolution});

    BenchResult r;
    r.arch = o.arch;
    r.batch = o.batch;
    r.steps = o.steps;
    r.threads = threadCount();
    r.precision = o.precision == Precision::Bf16 ? "bf16" : "fp32";
    {
        c10::InferenceMode guard;
        for (int i = 0; i < o.warmup; ++i) model->encodeImage(images);
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < o.steps; ++i) model->encodeImage(images);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        r.inferenceSecondsPerBatch = seconds / std::max(1, o.steps);
        r.inferenceImgPerS = o.batch * o.steps / seconds;
    }
    return r;
}

} // namespace ra
