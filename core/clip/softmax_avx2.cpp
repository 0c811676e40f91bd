// Softmax rows for AVX2 + FMA (compiled with -mavx2 -mfma; see softmax_simd.h).
#include "clip/softmax_simd.h"

#include <immintrin.h>

namespace ra::simd {
namespace {

#include "clip/simdops_avx2.inc"
#include "clip/simdexp.inc"
#include "clip/softmax_loops.inc"

} // namespace

void softmaxRowsAvx2(float* x, int64_t rows, int64_t cols) { softmaxRowsLoop<Avx2>(x, rows, cols); }

} // namespace ra::simd
