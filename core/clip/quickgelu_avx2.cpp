// QuickGELU loops for AVX2 + FMA (compiled with -mavx2 -mfma; see quickgelu_simd.h).
#include "clip/quickgelu_simd.h"

#include <immintrin.h>

namespace ra::simd {
namespace {

struct Avx2 {
    using V = __m256;
    static constexpr int lanes = 8;
    static V set1(float a) { return _mm256_set1_ps(a); }
    static V load(const float* p) { return _mm256_loadu_ps(p); }
    static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
    static __m256i firstLanes(int64_t k)
    {
        return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(k)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    }
    static V loadPartial(const float* p, int64_t k) { return _mm256_maskload_ps(p, firstLanes(k)); }
    static void storePartial(float* p, V v, int64_t k) { _mm256_maskstore_ps(p, firstLanes(k), v); }
    static V add(V a, V b) { return _mm256_add_ps(a, b); }
    static V mul(V a, V b) { return _mm256_mul_ps(a, b); }
    static V div(V a, V b) { return _mm256_div_ps(a, b); }
    static V fmadd(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
    static V min(V a, V b) { return _mm256_min_ps(a, b); }
    static V max(V a, V b) { return _mm256_max_ps(a, b); }
    static V roundNearest(V a) { return _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
    static V pow2(V n) // n integral in [-126, 127]
    {
        const __m256i biased = _mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127));
        return _mm256_castsi256_ps(_mm256_slli_epi32(biased, 23));
    }
};

#include "clip/quickgelu_loops.inc"

} // namespace

void quickGeluAvx2(const float* x, float* y, int64_t n) { quickGeluLoop<Avx2>(x, y, n); }
void quickGeluGradAvx2(const float* g, const float* x, float* out, int64_t n) { quickGeluGradLoop<Avx2>(g, x, out, n); }

} // namespace ra::simd
