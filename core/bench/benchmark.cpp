#include "bench/benchmark.h"

#include "adapt/adapterset.h"
#include "clip/clipencoder_p.h"
#include "losses/losses.h"
#include "platform/computedevice_p.h"
#include "util/runtime.h"

#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adamw.h>

#include <chrono>
#include <sys/resource.h>

namespace ra {

BenchResult runBenchmark(const BenchOptions& o)
{
    setThreadCount(o.threads);
    const ClipConfig config = ClipConfig::preset(o.arch);
    auto encoder = ClipEncoder::random(config, 0);
    const ComputePrecision compute = encoder->setPrecision(o.precision);
    auto& model = encoder->impl().model;
    torch::manual_seed(1);
    const torch::Device device = computeDevice();
    auto images = torch::randn({o.batch, 3, config.imageResolution, config.imageResolution}).to(device);

    BenchResult r;
    r.arch = o.arch;
    r.batch = o.batch;
    r.steps = o.steps;
    r.threads = threadCount();
    r.precision = precisionName(o.precision);
    r.computePrecision = computePrecisionName(compute);
    r.device = device.str();
    if (o.inference) {
        c10::InferenceMode guard;
        InferencePrecisionScope precision(compute);
        for (int i = 0; i < o.warmup; ++i) model->encodeImage(images);
        synchronizeComputeDevice(); // a GPU queues work: time what it has done
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < o.steps; ++i) model->encodeImage(images);
        synchronizeComputeDevice();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        r.inferenceSecondsPerBatch = seconds / std::max(1, o.steps);
        r.inferenceImgPerS = o.batch * o.steps / seconds;
    }
    if (o.train) {
        for (auto& p : model->parameters()) p.set_requires_grad(false);
        AdapterSet adapters(model, AdapterConfig{});
        auto params = adapters.parameters();
        torch::optim::AdamW optimizer(params, torch::optim::AdamWOptions(5e-4).weight_decay(0));
        auto tokens = torch::randint(1, 49000, {o.batch, config.contextLength}, torch::kInt64);
        // The end-of-text token (the text tower reads its position) about a quarter in, as a short
        // caption's, and never past a small model's context.
        tokens.select(1, config.contextLength > 20 ? 20 : config.contextLength / 4).fill_(49407);
        tokens = tokens.to(device);
        auto labels = torch::randint(0, 4, {o.batch}, torch::kInt64).to(device);
        model->train();
        auto step = [&] {
            torch::Tensor loss;
            {
                namespace F = torch::nn::functional;
                torch::Tensor img, txt;
                {
                    TrainingPrecisionScope precisionScope(compute);
                    img = F::normalize(model->encodeImage(images).to(torch::kFloat32),
                                       F::NormalizeFuncOptions().dim(1));
                    txt = F::normalize(model->encodeText(tokens).to(torch::kFloat32), F::NormalizeFuncOptions().dim(1));
                }
                loss = mpmNceLoss(img, txt, labels, 0.02, 0.05, 100.0);
            }
            optimizer.zero_grad();
            loss.backward();
            torch::nn::utils::clip_grad_norm_(params, 1.0);
            optimizer.step();
            adapters.updateEma(0.999);
        };
        for (int i = 0; i < o.warmup; ++i) step();
        synchronizeComputeDevice();
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < o.steps; ++i) step();
        synchronizeComputeDevice();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        r.trainSecondsPerStep = seconds / std::max(1, o.steps);
        r.trainImgPerS = o.batch * o.steps / seconds;
    }
    struct rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    r.peakRssMb = usage.ru_maxrss / 1024.0;
    return r;
}

} // namespace ra
