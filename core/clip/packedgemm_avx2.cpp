// The GEMM register tile for AVX2 + FMA (compiled with -mavx2 -mfma; see packedgemm_simd.h).
#include "clip/packedgemm_simd.h"

#include <immintrin.h>

namespace ra::simd {
namespace {

struct Avx2 {
    using V = __m256;
    static constexpr int lanes = 8;
    static V zero() { return _mm256_setzero_ps(); }
    static V load(const float* p) { return _mm256_loadu_ps(p); }
    static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
    static V broadcast(const float* p) { return _mm256_broadcast_ss(p); }
    static V fmadd(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
};
static_assert(2 * Avx2::lanes == kGemmAvx2Cols);

#include "clip/packedgemm_tile.inc"

} // namespace

void gemmTileAvx2(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, const float* bias, bool first)
{
    gemmTile<Avx2>(kc, a, b, c, ldc, bias, first);
}

} // namespace ra::simd
