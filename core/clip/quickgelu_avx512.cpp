// QuickGELU loops for AVX-512 F (compiled with -mavx512f; see quickgelu_simd.h).
#include "clip/quickgelu_simd.h"

#include <immintrin.h>

namespace ra::simd {
namespace {

#include "clip/simdops_avx512.inc"
#include "clip/simdexp.inc"
#include "clip/quickgelu_loops.inc"

} // namespace

void quickGeluAvx512(const float* x, float* y, int64_t n) { quickGeluLoop<Avx512>(x, y, n); }
void quickGeluGradAvx512(const float* g, const float* x, float* out, int64_t n)
{
    quickGeluGradLoop<Avx512>(g, x, out, n);
}

} // namespace ra::simd
