// The frozen-linear kernels alone, on ViT-B/32's four products (800 rows: a batch of 16 images of
// 50 tokens): our packed GEMM in fp32 (and in bf16 where the CPU multiplies bf16 natively) against
// ATen's linear (OpenBLAS or oneDNN, what eager PyTorch runs), in GFLOP/s.
//
//   gemm_bench [ROWS] [REPEATS] [THREADS]        (defaults: 800 30 2)
//
// Why it exists: run-bench.sh times whole passes, which on a shared machine wander by 5-10 %
// from run to run; a kernel's best of many repeats wanders far less, so it tells whether a
// kernel is at the FMA units' peak or has room left. Each repeat runs every kernel once, round
// after round, so a slow spell hits them alike; the best repeat of each is printed.
// RADAPTER_CPU_ISA=avx2 measures the AVX2 tile and OpenBLAS's Haswell kernels on an AVX-512 CPU,
// as radapter does.
#include "clip/packedgemm.h"
#include "platform/processenvironment.h"
#include "util/runtime.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace {

double secondsOf(const std::function<void()>& f)
{
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int main(int argc, char** argv)
{
    ra::prepareProcessEnvironment(argv);
    const int64_t rows = argc > 1 ? std::atoll(argv[1]) : 800;
    const int repeats = argc > 2 ? std::atoi(argv[2]) : 30;
    ra::setThreadCount(argc > 3 ? std::atoi(argv[3]) : 2);
    if (rows <= 0 || repeats <= 0) {
        std::fprintf(stderr, "usage: gemm_bench [ROWS > 0] [REPEATS > 0] [THREADS]\n");
        return 2;
    }
    const char* fp32Tile = ra::packedGemmKernelName();
    const char* bf16Tile = ra::packedGemmBf16KernelName();
    std::printf("%lld rows, %d threads, best of %d; packed fp32 tile: %s, bf16 tile: %s; OpenBLAS kernels: %s\n",
                static_cast<long long>(rows), ra::threadCount(), repeats, fp32Tile ? fp32Tile : "none",
                bf16Tile ? bf16Tile : "none", ra::openblasCoreName().c_str());
    std::printf("%-18s %12s %12s %12s\n", "in -> out", "ATen fp32", "ours fp32", "ours bf16");
    torch::manual_seed(0);
    const int64_t shapes[][2] = {{768, 2304}, {768, 768}, {768, 3072}, {3072, 768}};
    for (const auto& shape : shapes) {
        const int64_t in = shape[0], out = shape[1];
        const auto x = torch::randn({rows, in}), w = torch::randn({out, in}) * 0.03, b = torch::randn({out});
        auto y = torch::empty({rows, out});
        std::vector<float> panels(fp32Tile ? ra::packedGemmPanelFloats(out, in) : 0);
        std::vector<uint16_t> panels16(bf16Tile ? ra::packedGemmBf16PanelValues(out, in) : 0);
        if (fp32Tile) ra::packGemmWeight(w.data_ptr<float>(), out, in, panels.data());
        if (bf16Tile) ra::packGemmWeightBf16(w.data_ptr<float>(), out, in, panels16.data());
        double aten = 1e30, ours = 1e30, ours16 = 1e30;
        for (int r = 0; r < repeats; ++r) {
            aten = std::min(aten, secondsOf([&] { torch::nn::functional::linear(x, w, b); }));
            if (fp32Tile)
                ours = std::min(ours, secondsOf([&] {
                                    ra::packedGemm(x.data_ptr<float>(), rows, in, out, panels.data(),
                                                   b.data_ptr<float>(), y.data_ptr<float>());
                                }));
            if (bf16Tile)
                ours16 = std::min(ours16, secondsOf([&] {
                                      ra::packedGemmBf16(x.data_ptr<float>(), rows, in, out, panels16.data(),
                                                         b.data_ptr<float>(), y.data_ptr<float>());
                                  }));
        }
        const double flop = 2.0 * rows * in * out / 1e9;
        const auto rate = [&](bool ran, double seconds) {
            char text[32] = "n/a";
            if (ran) std::snprintf(text, sizeof text, "%.1f", flop / seconds);
            return std::string(text);
        };
        std::printf("%5lld -> %-8lld %12s %12s %12s\n", static_cast<long long>(in), static_cast<long long>(out),
                    rate(true, aten).c_str(), rate(fp32Tile, ours).c_str(), rate(bf16Tile, ours16).c_str());
    }
    return 0;
}
