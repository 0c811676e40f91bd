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

} // namespace ra::simd
