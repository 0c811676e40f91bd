// The bf16 GEMM register tile and its activation packing for AVX512-BF16 (compiled with
// -mavx512f -mavx512bf16; see packedgemm_simd.h). VDPBF16PS multiplies 32 bf16 pairs and adds
// them into 16 fp32 lanes, twice the products of an fp32 FMA per instruction; the tile is
// kGemmBf16Rows x 32 columns stepping two k at a time.
#include "clip/packedgemm_simd.h"

#include <immintrin.h>

#include <cstring>

namespace ra::simd {

namespace {
__m512bh asBf16(__m512i v) { return reinterpret_cast<__m512bh&>(v); }
} // namespace

void gemmTileAvx512Bf16(int64_t pairs, const uint32_t* a, const uint16_t* b, float* c, int64_t ldc, const float* bias,
                        bool first)
{
    constexpr int rows = kGemmBf16Rows;
    __m512 acc[rows][2];
    if (first) {
        const __m512 b0 = bias ? _mm512_loadu_ps(bias) : _mm512_setzero_ps();
        const __m512 b1 = bias ? _mm512_loadu_ps(bias + 16) : _mm512_setzero_ps();
#pragma GCC unroll 8
        for (int i = 0; i < rows; ++i) {
            acc[i][0] = b0;
            acc[i][1] = b1;
        }
    } else {
#pragma GCC unroll 8
        for (int i = 0; i < rows; ++i) {
            acc[i][0] = _mm512_loadu_ps(c + i * ldc);
            acc[i][1] = _mm512_loadu_ps(c + i * ldc + 16);
        }
    }
#pragma GCC unroll 4
    for (int64_t k = 0; k < pairs; ++k) {
        const __m512bh b0 = asBf16(_mm512_loadu_si512(b));
        const __m512bh b1 = asBf16(_mm512_loadu_si512(b + 32));
#pragma GCC unroll 8
        for (int i = 0; i < rows; ++i) {
            const __m512bh x = asBf16(_mm512_set1_epi32(static_cast<int>(a[i])));
            acc[i][0] = _mm512_dpbf16_ps(acc[i][0], x, b0);
            acc[i][1] = _mm512_dpbf16_ps(acc[i][1], x, b1);
        }
        a += rows;
        b += 64;
    }
#pragma GCC unroll 8
    for (int i = 0; i < rows; ++i) {
        _mm512_storeu_ps(c + i * ldc, acc[i][0]);
        _mm512_storeu_ps(c + i * ldc + 16, acc[i][1]);
    }
}

void packRowsBf16Avx512(const float* x, int64_t ldx, int64_t rows, int64_t kc, uint32_t* out)
{
    const int64_t pairs = (kc + 1) / 2;
    // One row at a time: 32 floats become 16 bf16 pairs (round to nearest even, as torch's own
    // conversion), written to every kGemmBf16Rows-th slot.
    alignas(64) uint32_t line[16];
    for (int64_t i = 0; i < kGemmBf16Rows; ++i) {
        if (i >= rows) {
            for (int64_t p = 0; p < pairs; ++p) out[p * kGemmBf16Rows + i] = 0;
            continue;
        }
        const float* src = x + i * ldx;
        for (int64_t k = 0; k < kc; k += 32) {
            const int64_t n = kc - k < 32 ? kc - k : 32;
            const __mmask16 lo = n >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << n) - 1);
            const __mmask16 hi = n >= 32 ? __mmask16(0xFFFF) : n > 16 ? __mmask16((1u << (n - 16)) - 1) : 0;
            const __m512 v0 = _mm512_maskz_loadu_ps(lo, src + k);
            const __m512 v1 = _mm512_maskz_loadu_ps(hi, src + k + 16);
            const __m512bh packed = _mm512_cvtne2ps_pbh(v1, v0);
            std::memcpy(line, &packed, sizeof line);
            const int64_t p0 = k / 2, count = (n + 1) / 2;
            for (int64_t p = 0; p < count; ++p) out[(p0 + p) * kGemmBf16Rows + i] = line[p];
        }
    }
}

} // namespace ra::simd
