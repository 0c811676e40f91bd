#pragma once
// Our own fp32 (and, where native, bf16) matrix product for frozen linear layers,
// y = x W^T + b, with W packed once.
//
// Why: on AVX2 CPUs the BLAS libtorch ships with (Debian's OpenBLAS 0.3.21) reaches well under
// half of the FMA units' peak on CLIP's shapes (800 x 768 x 3072 and the like), and a ViT's
// forward pass is mostly such products. A frozen weight can be laid out once in the order the
// register tile reads it (column panels, k-major), so each product only packs its activations.
// The tile (packedgemm_simd.h) is AVX2+FMA or AVX-512 as the CPU (masked by RADAPTER_CPU_ISA)
// has; the blocking keeps a tile's weight panel in L1 and the packed activations in L2; rows and
// column ranges are spread over ATen's thread pool. It is one candidate of the linear-kernel
// calibration (platform/kernelselect.h), chosen only where it measures fastest and agrees with
// the plain product. Torch-free header.
#include <cstdint>

namespace ra {

// "avx512", "avx2", or nullptr where the CPU has neither (then nothing here may be called).
const char* packedGemmKernelName();

// Floats PANELS must hold for an [OUT, IN] weight.
int64_t packedGemmPanelFloats(int64_t out, int64_t in);
// Lays W ([OUT, IN], row-major) out as the tile reads it.
void packGemmWeight(const float* w, int64_t out, int64_t in, float* panels);
// Y ([M, OUT], row-major) = X ([M, IN], row-major) W^T + BIAS (OUT values, or null).
void packedGemm(const float* x, int64_t m, int64_t in, int64_t out, const float* panels, const float* bias, float* y);

// The same product in bf16 on CPUs that multiply bf16 natively (AVX512-BF16): W packed once as
// bf16 pairs, X rounded to bf16 while it is packed, fp32 accumulation, bias and output. Why:
// oneDNN's and ATen's bf16 paths in libtorch 1.13 convert and reorder the activations on every
// call; on a 2-core Zen 4 they reached ~340 GFLOP/s on CLIP's shapes, this one 380-430 (the
// VDPBF16PS peak there: ~455, twice the fp32 FMA's).
// "avx512-bf16", or nullptr where the CPU (masked by RADAPTER_CPU_ISA) lacks it.
const char* packedGemmBf16KernelName();
// bf16 values PANELS must hold for an [OUT, IN] weight.
int64_t packedGemmBf16PanelValues(int64_t out, int64_t in);
void packGemmWeightBf16(const float* w, int64_t out, int64_t in, uint16_t* panels);
void packedGemmBf16(const float* x, int64_t m, int64_t in, int64_t out, const uint16_t* panels, const float* bias,
                    float* y);

} // namespace ra
