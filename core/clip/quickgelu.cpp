#include "clip/quickgelu.h"

#include "clip/quickgelu_simd.h"
#include "platform/cpufeatures.h"

#include <ATen/Parallel.h>

#include <cstdlib>
#include <cstring>

namespace ra {

namespace {

enum class Loop { Aten, Avx2, Avx512 };

// The widest loop the CPU (as masked by RADAPTER_CPU_ISA) runs; RADAPTER_QUICKGELU_KERNEL=aten
// forces ATen's operators, to compare against them.
Loop chosenLoop()
{
    static const Loop loop = [] {
        const char* forced = std::getenv("RADAPTER_QUICKGELU_KERNEL");
        if (forced && std::strcmp(forced, "aten") == 0) return Loop::Aten;
        const auto& cpu = cpuFeatures();
        if (cpu.avx512f) return Loop::Avx512;
        if (cpu.avx2 && cpu.fma) return Loop::Avx2;
        return Loop::Aten;
    }();
    return loop;
}

bool loopHandles(const torch::Tensor& t)
{
    return t.scalar_type() == torch::kFloat32 && t.device().is_cpu() && t.layout() == torch::kStrided &&
        t.is_contiguous();
}

// Elements per task: large enough that a task's start costs nothing against its work.
constexpr int64_t kGrain = 16384;

void forwardLoop(const float* x, float* y, int64_t n)
{
    const Loop loop = chosenLoop();
    at::parallel_for(0, n, kGrain, [&](int64_t begin, int64_t end) {
        if (loop == Loop::Avx512) simd::quickGeluAvx512(x + begin, y + begin, end - begin);
        else simd::quickGeluAvx2(x + begin, y + begin, end - begin);
    });
}

torch::Tensor atenForward(const torch::Tensor& x) { return x * torch::sigmoid(x * 1.702); }

} // namespace

const char* quickGeluKernelName()
{
    switch (chosenLoop()) {
    case Loop::Avx512: return "avx512";
    case Loop::Avx2: return "avx2";
    case Loop::Aten: break;
    }
    return "aten";
}

void quickGeluInPlace(torch::Tensor& x)
{
    if (chosenLoop() == Loop::Aten || !loopHandles(x)) {
        auto gate = x.mul(1.702);
        gate.sigmoid_();
        x.mul_(gate);
        return;
    }
    forwardLoop(x.data_ptr<float>(), x.data_ptr<float>(), x.numel());
}

torch::Tensor quickGeluForward(const torch::Tensor& x)
{
    if (chosenLoop() == Loop::Aten || !loopHandles(x)) return atenForward(x);
    auto y = torch::empty_like(x);
    forwardLoop(x.data_ptr<float>(), y.data_ptr<float>(), x.numel());
    return y;
}

torch::Tensor quickGeluBackward(const torch::Tensor& grad, const torch::Tensor& x)
{
    const auto g = grad.contiguous();
    if (chosenLoop() == Loop::Aten || !loopHandles(x) || !loopHandles(g) || g.sizes() != x.sizes())
        return torch::silu_backward(grad, x * 1.702); // x s(ax) = silu(ax) / a: silu'(ax)
    auto out = torch::empty_like(x);
    const float* gp = g.data_ptr<float>();
    const float* xp = x.data_ptr<float>();
    float* op = out.data_ptr<float>();
    const Loop loop = chosenLoop();
    at::parallel_for(0, x.numel(), kGrain, [&](int64_t begin, int64_t end) {
        if (loop == Loop::Avx512) simd::quickGeluGradAvx512(gp + begin, xp + begin, op + begin, end - begin);
        else simd::quickGeluGradAvx2(gp + begin, xp + begin, op + begin, end - begin);
    });
    return out;
}

} // namespace ra
