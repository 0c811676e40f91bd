// QuickGELU loops for AVX2 + FMA (compiled with -mavx2 -mfma; see quickgelu_simd.h).
#include "clip/quickgelu_simd.h"

#include <immintrin.h>

namespace ra::simd {
namespace {

#include "clip/simdops_avx2.inc"
#include "clip/simdexp.inc"
#include "clip/quickgelu_loops.inc"

} // namespace

void quickGeluAvx2(const float* x, float* y, int64_t n) { quickGeluLoop<Avx2>(x, y, n); }
void quickGeluGradAvx2(const float* g, const float* x, float* out, int64_t n) { quickGeluGradLoop<Avx2>(g, x, out, n); }

} // namespace ra::simd
