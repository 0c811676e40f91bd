#include "clip/quickgelu.h"

#include "clip/quickgelu_simd.h"
#include "platform/cpufeatures.h"

#include <ATen/Parallel.h>

#include <cstdlib>
#include <cstring>

namespace ra {

namespace {

// One instruction set's pair of loops.
struct Loops {
    const char* name;
    void (*forward)(const float* x, float* y, int64_t n);
    void (*gradient)(const float* g, const float* x, float* out, int64_t n);
};
constexpr Loops kAvx512{"avx512", simd::quickGeluAvx512, simd::quickGeluGradAvx512};
constexpr Loops kAvx2{"avx2", simd::quickGeluAvx2, simd::quickGeluGradAvx2};

// The widest loops the CPU (as masked by RADAPTER_CPU_ISA) runs, or nullptr for ATen's operators
// (a CPU below AVX2, or RADAPTER_QUICKGELU_KERNEL=aten, to compare against them).
const Loops* chosenLoops()
{
    static const Loops* loops = []() -> const Loops* {
        const char* forced = std::getenv("RADAPTER_QUICKGELU_KERNEL");
        if (forced && std::strcmp(forced, "aten") == 0) return nullptr;
        return widestVectorKernel(&kAvx512, &kAvx2);
    }();
    return loops;
}

bool loopHandles(const torch::Tensor& t)
{
    return t.scalar_type() == torch::kFloat32 && t.device().is_cpu() && t.layout() == torch::kStrided &&
        t.is_contiguous();
}

// Elements per task: large enough that a task's start costs nothing against its work.
constexpr int64_t kGrain = 16384;

void forwardLoop(const Loops& loops, const float* x, float* y, int64_t n)
{
    at::parallel_for(0, n, kGrain,
                     [&](int64_t begin, int64_t end) { loops.forward(x + begin, y + begin, end - begin); });
}

} // namespace

const char* quickGeluKernelName()
{
    const Loops* loops = chosenLoops();
    return loops ? loops->name : "aten";
}

void quickGeluInPlace(torch::Tensor& x)
{
    const Loops* loops = chosenLoops();
    if (!loops || !loopHandles(x)) {
        auto gate = x.mul(1.702);
        gate.sigmoid_();
        x.mul_(gate);
        return;
    }
    forwardLoop(*loops, x.data_ptr<float>(), x.data_ptr<float>(), x.numel());
}

torch::Tensor quickGeluForward(const torch::Tensor& x)
{
    const Loops* loops = chosenLoops();
    if (!loops || !loopHandles(x)) return x * torch::sigmoid(x * 1.702);
    auto y = torch::empty_like(x);
    forwardLoop(*loops, x.data_ptr<float>(), y.data_ptr<float>(), x.numel());
    return y;
}

torch::Tensor quickGeluBackward(const torch::Tensor& grad, const torch::Tensor& x)
{
    const Loops* loops = chosenLoops();
    const auto g = grad.contiguous();
    if (!loops || !loopHandles(x) || !loopHandles(g) || g.sizes() != x.sizes())
        return torch::silu_backward(grad, x * 1.702); // x s(ax) = silu(ax) / a: silu'(ax)
    auto out = torch::empty_like(x);
    const float* gp = g.data_ptr<float>();
    const float* xp = x.data_ptr<float>();
    float* op = out.data_ptr<float>();
    at::parallel_for(0, x.numel(), kGrain, [&](int64_t begin, int64_t end) {
        loops->gradient(gp + begin, xp + begin, op + begin, end - begin);
    });
    return out;
}

} // namespace ra
