#pragma once
// The register tiles behind clip/packedgemm.h, one per instruction set, on plain float arrays.
// Like the QuickGELU loops (quickgelu_simd.h), each lives in its own translation unit compiled for
// its instruction set alone and includes nothing but intrinsics, so nothing compiled for a wider
// ISA can be picked by the linker for code that runs elsewhere. Callers choose a set the CPU has.
#include <cstdint>

namespace ra::simd {

// One tile of C (kGemmRows rows, that set's kGemm*Cols columns, row stride LDC):
// C = (FIRST ? BIAS : C) + A B over KC steps, where A is packed k-major in groups of kGemmRows
// values (one per row) and B k-major in groups of the tile's columns. BIAS (tile's columns) may
// be null for zeros.
constexpr int kGemmRows = 6;
constexpr int kGemmAvx2Cols = 16;
constexpr int kGemmAvx512Cols = 32;
void gemmTileAvx2(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, const float* bias, bool first);
void gemmTileAvx512(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, const float* bias, bool first);

// The bf16 tile (AVX512-BF16): a C tile of kGemmBf16Rows x 32 columns over PAIRS steps of two
// k each. A holds, per step, kGemmBf16Rows bf16 pairs (one 32-bit word per row, the even k in the
// low half); B, per step, 32 columns' pairs (64 bf16). Eight rows, not the fp32 tiles' six:
// VDPBF16PS's latency is longer than an FMA's, and on a Zen 5 (two 512-bit pipes) twelve
// accumulators reached 410 GFLOP/s a core, sixteen or more 465 (its peak); 16 accumulators, 2
// B vectors and a broadcast fit the 32 registers.
constexpr int kGemmBf16Rows = 8;
constexpr int kGemmBf16Cols = 32;
void gemmTileAvx512Bf16(int64_t pairs, const uint32_t* a, const uint16_t* b, float* c, int64_t ldc, const float* bias,
                        bool first);
// Packs ROWS (<= kGemmBf16Rows, the rest zero) rows of KC floats each (row stride LDX) into A's
// layout, rounding to bf16; an odd KC ends in a zero.
void packRowsBf16Avx512(const float* x, int64_t ldx, int64_t rows, int64_t kc, uint32_t* out);

} // namespace ra::simd
