// The GEMM register tile for AVX-512 F (compiled with -mavx512f; see packedgemm_simd.h).
#include "clip/packedgemm_simd.h"

#include <immintrin.h>

namespace ra::simd {
namespace {

struct Avx512 {
    using V = __m512;
    static constexpr int lanes = 16;
    static V zero() { return _mm512_setzero_ps(); }
    static V load(const float* p) { return _mm512_loadu_ps(p); }
    static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
    static V broadcast(const float* p) { return _mm512_set1_ps(*p); }
    static V fmadd(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
};
static_assert(2 * Avx512::lanes == kGemmAvx512Cols);

#include "clip/packedgemm_tile.inc"

} // namespace

void gemmTileAvx512(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, const float* bias, bool first)
{
    gemmTile<Avx512>(kc, a, b, c, ldc, bias, first);
}

} // namespace ra::simd
