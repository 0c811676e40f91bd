#pragma once
// Process-wide libtorch runtime settings. Debian's libtorch defaults to one intra-op thread, so
// every entry point (CLI, Studio, tests) calls setThreadCount once at start-up.
#include <string>

namespace ra {

// One thread budget for every pool: libtorch's intra-op pool (OpenMP, which oneDNN shares),
// its inter-op pool (sized once, before its first use), and OpenBLAS's own count. N <= 0 means
// all cores. Safe to call again; affects the whole process. The first call also tunes glibc's
// allocator for large tensors (see runtime.cpp). Idle workers spin only briefly because
// platform/processenvironment.h set GOMP_SPINCOUNT before the libraries loaded.
void setThreadCount(int n);
int threadCount();
// How many threads one at::parallel_for in core's own code reaches (at most threadCount()). It is
// 1 where core was compiled without OpenMP: ATen's parallel_for is then a plain loop, and every
// kernel of ours that relies on it (attention, QuickGELU, the packed GEMM) runs on one core.
int coreParallelThreads();
// "All cores": the cores this process may use (platform/usablecores.h), not the machine's count.
int hardwareThreads();
// OpenBLAS's thread count as OpenBLAS reports it; -1 when the BLAS in use is not OpenBLAS.
int blasThreadCount();
// The kernel set the loaded OpenBLAS chose ("SkylakeX", "Haswell", "Prescott", ...); "" when the
// BLAS in use is not OpenBLAS. Looked up at run time, so it is safe before any libtorch call.
std::string openblasCoreName();

} // namespace ra
