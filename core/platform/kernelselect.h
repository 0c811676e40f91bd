#pragma once
// Which kernel computes a frozen linear layer's product y = x W^T + b on this machine: oneDNN
// with the weight packed once into its blocked layout, our own GEMM (fp32, or bf16 where native)
// with the weight packed once into its panels (clip/packedgemm.h), or ATen's plain linear
// (OpenBLAS sgemm in fp32; ATen's own bf16 dispatch in bf16). Neither wins everywhere: oneDNN's packed kernels lead
// on AVX-512 machines, OpenBLAS's Haswell kernels can lead on AVX2 ones, and the answer moves
// with the shape and the thread count. So each shape class is measured once per machine (a few
// products per candidate, milliseconds to about a second), each candidate's output is checked
// against the plain product first (a kernel that throws or disagrees is never chosen), and the
// winner is kept in the kernel cache (kernelcache.h).
//
// RADAPTER_LINEAR_KERNEL=onednn-packed|packed-gemm|aten-linear forces one kernel (packed-gemm in
// fp32 arithmetic on a CPU with AVX2+FMA, in bf16 on one with AVX512-BF16); unset or "measure"
// measures.
// Torch-free header; thread-safe.
#include "platform/kernelcache.h"
#include "platform/precision.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace ra {

enum class LinearKernel { OneDnnPacked, PackedGemm, AtenLinear };

const char* linearKernelName(LinearKernel k); // "onednn-packed", "packed-gemm", "aten-linear"

// The kernel for an [M, IN] x [OUT, IN]^T product in PRECISION (bf16-emulated: operands rounded
// to bf16, multiplied in fp32) with the current thread count.
LinearKernel linearKernelFor(ComputePrecision precision, int64_t m, int64_t in, int64_t out);

// Any kernel family's choice for shape class KEY (the family's name first): the cached one, or
// CALIBRATE's, measured now and stored. Calibrations never overlap (each times its candidates
// with the whole thread pool); a family can be forced by its own environment variable.
std::string chosenKernel(const std::string& key, const std::function<KernelChoice()>& calibrate);

struct KernelSelectionReport {
    std::string cachePath;                      // "" when there is none
    std::string identity;                       // the machine identity the cache belongs to
    bool cacheReused = false;                   // choices were read from an earlier run's cache
    std::string forced;                         // the RADAPTER_LINEAR_KERNEL value, or ""
    int calibrations = 0;                       // shape classes measured by this process
    std::map<std::string, std::string> choices; // shape class -> kernel
};
KernelSelectionReport kernelSelectionReport();

// Machine identity for caches: CPU identity (cpufeatures.h), the libtorch version, OpenBLAS's
// kernel set and oneDNN's ISA limit.
std::string kernelCacheIdentity();
// Tests: forget every choice and use the cache at PATH under IDENTITY from now on.
void resetKernelSelection(const std::string& path, const std::string& identity);

} // namespace ra
