#include "platform/kernelselect.h"

#include "clip/autocastcompat.h"
#include "clip/packedgemm.h"
#include "clip/softmaxrows.h"
#include "platform/cpufeatures.h"
#include "platform/kernelcache.h"
#include "platform/kerneltiming.h"
#include "util/runtime.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/nn/functional/linear.h>
#include <torch/utils.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <vector>

namespace F = torch::nn::functional;

namespace ra {
namespace {

struct Selector {
    std::mutex mutex;
    std::unique_ptr<KernelCache> cache;
    int calibrations = 0;
};

Selector& selector()
{
    static Selector s;
    return s;
}

KernelCache& cacheLocked(Selector& s)
{
    if (!s.cache) s.cache = std::make_unique<KernelCache>(defaultKernelCachePath(), kernelCacheIdentity());
    return *s.cache;
}

std::string forcedKernel()
{
    const char* v = std::getenv("RADAPTER_LINEAR_KERNEL");
    return v && std::string(v) != "measure" ? std::string(v) : std::string();
}

LinearKernel kernelFromName(const std::string& name)
{
    if (name == "onednn-packed" && torch::hasMKLDNN()) return LinearKernel::OneDnnPacked;
    if (name == "packed-gemm" && packedGemmKernelName()) return LinearKernel::PackedGemm;
    return LinearKernel::AtenLinear;
}

// Shape classes: M to the next power of two (8..2048; larger M behave like 2048 and would make
// the measurement slow), the exact weight shape, the thread count.
std::string shapeKey(ComputePrecision mode, int64_t m, int64_t in, int64_t out)
{
    return std::string(computePrecisionName(mode)) + " m" + std::to_string(sizeBucket(m)) + " " + std::to_string(in) +
        "x" + std::to_string(out) + " t" + std::to_string(torch::get_num_threads());
}

torch::Tensor roundBf16(const torch::Tensor& t) { return t.to(torch::kBFloat16).to(torch::kFloat32); }

KernelChoice calibrate(ComputePrecision mode, int64_t m, int64_t in, int64_t out)
{
    // A private generator: calibrating must not move the global one that seeds training.
    auto gen = at::make_generator<at::CPUGeneratorImpl>(20240917);
    c10::InferenceMode normalTensors(false); // oneDNN packing wants ordinary tensors
    torch::NoGradGuard noGrad;
    const bool autocastWasOn = autocast::enabled(c10::DeviceType::CPU);
    autocast::setEnabled(c10::DeviceType::CPU, false);
    const int64_t rows = sizeBucket(m);
    auto x = at::randn({rows, in}, gen, torch::kFloat32);
    auto w = at::randn({out, in}, gen, torch::kFloat32).mul_(1.0 / std::sqrt(double(in)));
    auto b = at::randn({out}, gen, torch::kFloat32);
    if (mode != ComputePrecision::Fp32) {
        x = roundBf16(x);
        w = roundBf16(w);
        b = roundBf16(b);
    }
    const auto reference = F::linear(x, w, b);
    const bool bf16 = mode == ComputePrecision::Bf16;
    const double tolerance = bf16 ? 3e-2 : 1e-3;
    const auto type = bf16 ? torch::kBFloat16 : torch::kFloat32;

    KernelChoice choice;
    std::vector<std::pair<LinearKernel, double>> timed;
    if (torch::hasMKLDNN()) {
        double ms = -1;
        try {
            const auto wp = w.to(type).contiguous().to_mkldnn();
            const auto bp = b.to(type).contiguous().to_mkldnn();
            ms = timeKernelCandidate(
                [&] {
                    return torch::mkldnn_linear(x.to(type).contiguous().to_mkldnn(), wp, bp)
                        .to_dense()
                        .to(torch::kFloat32);
                },
                reference, tolerance);
        } catch (const std::exception&) {}
        timed.push_back({LinearKernel::OneDnnPacked, ms});
    }
    if (bf16 && packedGemmBf16KernelName()) {
        auto panels = torch::empty({packedGemmBf16PanelValues(out, in)}, torch::kBFloat16);
        packGemmWeightBf16(w.data_ptr<float>(), out, in, reinterpret_cast<uint16_t*>(panels.data_ptr()));
        const auto xc = x.contiguous();
        timed.push_back({LinearKernel::PackedGemm,
                         timeKernelCandidate(
                             [&] {
                                 auto y = torch::empty({rows, out});
                                 packedGemmBf16(xc.data_ptr<float>(), rows, in, out,
                                                reinterpret_cast<const uint16_t*>(panels.data_ptr()),
                                                b.data_ptr<float>(), y.data_ptr<float>());
                                 return y;
                             },
                             reference, tolerance)});
    }
    if (packedGemmKernelName() && !bf16) {
        auto panels = torch::empty({packedGemmPanelFloats(out, in)});
        packGemmWeight(w.data_ptr<float>(), out, in, panels.data_ptr<float>());
        const auto xc = x.contiguous();
        timed.push_back({LinearKernel::PackedGemm,
                         timeKernelCandidate(
                             [&] {
                                 auto y = torch::empty({rows, out});
                                 packedGemm(xc.data_ptr<float>(), rows, in, out, panels.data_ptr<float>(),
                                            b.data_ptr<float>(), y.data_ptr<float>());
                                 return y;
                             },
                             reference, tolerance)});
    }
    {
        const auto wt = w.to(type).contiguous(), bt = b.to(type);
        timed.push_back({LinearKernel::AtenLinear,
                         timeKernelCandidate([&] { return F::linear(x.to(type), wt, bt).to(torch::kFloat32); },
                                             reference, tolerance)});
    }
    autocast::setEnabled(c10::DeviceType::CPU, autocastWasOn);
    LinearKernel best = LinearKernel::AtenLinear;
    double bestMs = 1e30;
    for (const auto& [k, ms] : timed) {
        choice.ms[linearKernelName(k)] = ms;
        if (ms >= 0 && ms < bestMs) {
            best = k;
            bestMs = ms;
        }
    }
    choice.kernel = linearKernelName(best);
    return choice;
}

} // namespace

int64_t sizeBucket(int64_t n)
{
    int64_t b = 8;
    while (b < n && b < 2048) b *= 2;
    return b;
}

double timeKernelCandidate(const std::function<torch::Tensor()>& run, const torch::Tensor& reference, double tolerance)
{
    try {
        const auto y = run();
        const double scale = reference.abs().max().item<double>() + 1e-12;
        const double err = (y.to(torch::kFloat32) - reference).abs().max().item<double>() / scale;
        if (!std::isfinite(err) || err > tolerance) return -1;
        double best = 1e30, total = 0;
        for (int i = 0; i < 12 && (i < 2 || total < 30.0); ++i) {
            const auto start = std::chrono::steady_clock::now();
            run();
            const double ms =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
            best = std::min(best, ms);
            total += ms;
        }
        return best;
    } catch (const std::exception&) {
        return -1;
    }
}

const char* linearKernelName(LinearKernel k)
{
    switch (k) {
    case LinearKernel::OneDnnPacked: return "onednn-packed";
    case LinearKernel::PackedGemm: return "packed-gemm";
    case LinearKernel::AtenLinear: break;
    }
    return "aten-linear";
}

std::string kernelCacheIdentity()
{
    // The kernels measured are OpenBLAS's, oneDNN's and our own GEMM's and attention's, so their
    // own kernel choices are part of the machine: another OPENBLAS_CORETYPE, ONEDNN_MAX_CPU_ISA,
    // GEMM tile or softmax loop is measured anew (and a cache from before our GEMM or our
    // attention softmax existed, which lacks the field, too).
    const char* onednnIsa = std::getenv("ONEDNN_MAX_CPU_ISA");
    const char* gemm = packedGemmKernelName();
    const char* gemmBf16 = packedGemmBf16KernelName();
    const char* softmax = softmaxRowsKernelName();
    const std::string blas = openblasCoreName();
    return cpuFeatures().identity() + "|libtorch " + TORCH_VERSION + "|openblas " + (blas.empty() ? "none" : blas) +
        "|onednn-isa " + (onednnIsa ? onednnIsa : "all") + "|gemm " + (gemm ? gemm : "none") +
        (gemmBf16 ? std::string("+") + gemmBf16 : std::string()) + "|softmax " + (softmax ? softmax : "aten");
}

std::string chosenKernel(const std::string& key, const std::function<KernelChoice()>& calibrate)
{
    Selector& s = selector();
    std::lock_guard<std::mutex> lock(s.mutex);
    KernelCache& cache = cacheLocked(s);
    if (auto hit = cache.lookup(key)) return hit->kernel;
    // Another program (a second run, the Studio beside the CLI) may have measured it since this
    // one read the cache: its choice is taken, so both run the same kernels.
    if (cache.refresh())
        if (auto hit = cache.lookup(key)) return hit->kernel;
    const KernelChoice choice = calibrate();
    ++s.calibrations;
    return cache.store(key, choice).kernel;
}

LinearKernel linearKernelFor(ComputePrecision mode, int64_t m, int64_t in, int64_t out)
{
    static const std::string forced = forcedKernel();
    if (forced == "onednn-packed" && torch::hasMKLDNN()) return LinearKernel::OneDnnPacked;
    if (forced == "aten-linear") return LinearKernel::AtenLinear;
    if (forced == "packed-gemm" &&
        (mode == ComputePrecision::Bf16 ? packedGemmBf16KernelName() != nullptr : packedGemmKernelName() != nullptr))
        return LinearKernel::PackedGemm;
    return kernelFromName(chosenKernel(shapeKey(mode, m, in, out), [&] { return calibrate(mode, m, in, out); }));
}

KernelSelectionReport kernelSelectionReport()
{
    Selector& s = selector();
    std::lock_guard<std::mutex> lock(s.mutex);
    KernelCache& cache = cacheLocked(s);
    KernelSelectionReport r;
    r.cachePath = cache.path();
    r.identity = cache.identity();
    r.cacheReused = cache.reused();
    r.forced = forcedKernel();
    r.calibrations = s.calibrations;
    for (const auto& [key, c] : cache.entries()) r.choices[key] = c.kernel;
    return r;
}

void resetKernelSelection(const std::string& path, const std::string& identity)
{
    Selector& s = selector();
    std::lock_guard<std::mutex> lock(s.mutex);
    s.cache = std::make_unique<KernelCache>(path, identity);
    s.calibrations = 0;
}

} // namespace ra
