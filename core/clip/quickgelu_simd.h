#pragma once
// The vector loops behind clip/quickgelu.h, one set per instruction set, on plain float arrays.
// Each set lives in its own translation unit compiled for its instruction set alone
// (quickgelu_avx2.cpp, quickgelu_avx512.cpp) and includes nothing but intrinsics, so no inline
// function compiled for a wider ISA can be picked by the linker for code that runs elsewhere.
// Callers choose a set the CPU has; X, Y, G may alias (in place).
#include <cstdint>

namespace ra::simd {

void quickGeluAvx2(const float* x, float* y, int64_t n);
void quickGeluGradAvx2(const float* g, const float* x, float* out, int64_t n);
void quickGeluAvx512(const float* x, float* y, int64_t n);
void quickGeluGradAvx512(const float* g, const float* x, float* out, int64_t n);

} // namespace ra::simd
