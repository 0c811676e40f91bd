#pragma once
// Softmax along the rows of a contiguous float matrix, in place (exp(x - max) / sum; AVX2+FMA or
// AVX-512, whichever the CPU as masked by RADAPTER_CPU_ISA has; four rows side by side).
//
// Why: attention's softmax over [N, H, L, L] scores. ATen's kernel, called once on the whole
// block between the two products, took 0.53 ms a ViT-B/32 layer on two Zen 4 cores; this loop,
// run per head right after that head's scores while they are in L1, 0.17 ms (the demo model's
// inference ~9 % faster). Single-threaded: callers split the rows over their threads.
// Torch-free header.
#include <cstdint>

namespace ra {

// "avx512", "avx2", or nullptr where the CPU has neither (then softmaxRowsInPlace may not be
// called; use ATen's softmax).
const char* softmaxRowsKernelName();

// Each of ROWS rows of COLS floats at X becomes its softmax. As ATen's: -inf gives exactly 0,
// and a row holding NaN or +inf, or only -inf, becomes NaN. Agrees with ATen's to about one
// unit in the last place (tst_platform).
void softmaxRowsInPlace(float* x, int64_t rows, int64_t cols);

} // namespace ra
