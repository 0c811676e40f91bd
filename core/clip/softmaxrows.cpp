#include "clip/softmaxrows.h"

#include "clip/softmax_simd.h"
#include "platform/cpufeatures.h"

namespace ra {

namespace {

struct Loop {
    const char* name;
    void (*run)(float* x, int64_t rows, int64_t cols);
};
constexpr Loop kAvx512{"avx512", simd::softmaxRowsAvx512};
constexpr Loop kAvx2{"avx2", simd::softmaxRowsAvx2};

const Loop* chosenLoop()
{
    static const Loop* loop = widestVectorKernel(&kAvx512, &kAvx2);
    return loop;
}

} // namespace

const char* softmaxRowsKernelName()
{
    const Loop* loop = chosenLoop();
    return loop ? loop->name : nullptr;
}

void softmaxRowsInPlace(float* x, int64_t rows, int64_t cols) { chosenLoop()->run(x, rows, cols); }

} // namespace ra
