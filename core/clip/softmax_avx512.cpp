// Softmax rows for AVX-512 F (compiled with -mavx512f; see softmax_simd.h).
#include "clip/softmax_simd.h"

#include <immintrin.h>

namespace ra::simd {
namespace {

#include "clip/simdops_avx512.inc"
#include "clip/simdexp.inc"
#include "clip/softmax_loops.inc"

} // namespace

void softmaxRowsAvx512(float* x, int64_t rows, int64_t cols) { softmaxRowsLoop<Avx512>(x, rows, cols); }

} // namespace ra::simd
