// QuickGELU loops for AVX-512 F (compiled with -mavx512f; see quickgelu_simd.h).
#include "clip/quickgelu_simd.h"

#include <immintrin.h>

namespace ra::simd {
namespace {

struct Avx512 {
    using V = __m512;
    static constexpr int lanes = 16;
    static V set1(float a) { return _mm512_set1_ps(a); }
    static V load(const float* p) { return _mm512_loadu_ps(p); }
    static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
    static __mmask16 firstLanes(int64_t k) { return static_cast<__mmask16>((1u << k) - 1u); }
    static V loadPartial(const float* p, int64_t k) { return _mm512_maskz_loadu_ps(firstLanes(k), p); }
    static void storePartial(float* p, V v, int64_t k) { _mm512_mask_storeu_ps(p, firstLanes(k), v); }
    static V add(V a, V b) { return _mm512_add_ps(a, b); }
    static V mul(V a, V b) { return _mm512_mul_ps(a, b); }
    static V div(V a, V b) { return _mm512_div_ps(a, b); }
    static V fmadd(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
    static V min(V a, V b) { return _mm512_min_ps(a, b); }
    static V max(V a, V b) { return _mm512_max_ps(a, b); }
    static V roundNearest(V a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
    static V pow2(V n) // n integral in [-126, 127]
    {
        const __m512i biased = _mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127));
        return _mm512_castsi512_ps(_mm512_slli_epi32(biased, 23));
    }
};

#include "clip/quickgelu_loops.inc"

} // namespace

void quickGeluAvx512(const float* x, float* y, int64_t n) { quickGeluLoop<Avx512>(x, y, n); }
void quickGeluGradAvx512(const float* g, const float* x, float* out, int64_t n)
{
    quickGeluGradLoop<Avx512>(g, x, out, n);
}

} // namespace ra::simd
