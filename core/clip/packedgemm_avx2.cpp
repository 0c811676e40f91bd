// The GEMM register tile for AVX2 + FMA (compiled with -mavx2 -mfma; see packedgemm_simd.h).
#include "clip/packedgemm_simd.h"

#include <immintrin.h>

namespace ra::simd {
namespace {

#include "clip/simdops_avx2.inc"
static_assert(2 * Avx2::lanes == kGemmAvx2Cols);

#include "clip/packedgemm_tile.inc"

} // namespace

void gemmTileAvx2(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, const float* bias, bool first)
{
    gemmTile<Avx2>(kc, a, b, c, ldc, bias, first);
}

} // namespace ra::simd
