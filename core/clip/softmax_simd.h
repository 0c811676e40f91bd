#pragma once
// The vector loops behind clip/softmaxrows.h, one per instruction set, each in its own
// translation unit compiled for that set alone (softmax_avx2.cpp, softmax_avx512.cpp; why: see
// quickgelu_simd.h). Callers choose a set the CPU has.
#include <cstdint>

namespace ra::simd {

void softmaxRowsAvx2(float* x, int64_t rows, int64_t cols);
void softmaxRowsAvx512(float* x, int64_t rows, int64_t cols);

} // namespace ra::simd
