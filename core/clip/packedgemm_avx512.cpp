// The GEMM register tile for AVX-512 F (compiled with -mavx512f; see packedgemm_simd.h).
#include "clip/packedgemm_simd.h"

#include <immintrin.h>

namespace ra::simd {
namespace {

#include "clip/simdops_avx512.inc"
static_assert(2 * Avx512::lanes == kGemmAvx512Cols);

#include "clip/packedgemm_tile.inc"

} // namespace

void gemmTileAvx512(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, const float* bias, bool first)
{
    gemmTile<Avx512>(kc, a, b, c, ldc, bias, first);
}

} // namespace ra::simd
