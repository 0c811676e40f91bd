#pragma once
// The environment the numerical libraries read once, when they are loaded: OpenMP's wait policy
// (libgomp), OpenBLAS's kernel set, and the ISA limits of oneDNN and ATen. libgomp and OpenBLAS
// read theirs in their constructors, before main(), so setting them from main() is too late.
// Instead, the program's own getenv (processenvironment.cpp) answers those two with the program's
// defaults where the user set none: every library looks getenv up in the executable first (ELF
// symbol interposition), so they read the defaults at load time, and nothing re-executes. Only a
// kernel-set correction that needs OpenBLAS's own choice (below) re-executes the program once.
// Call prepareProcessEnvironment first thing in main().
//
// What it sets, each only when the user has not set it already:
// - GOMP_SPINCOUNT=10000 (unless OMP_WAIT_POLICY is set): idle OpenMP workers spin briefly and
//   then sleep, so a run beside another busy process (the GUI, a browser, a second run) leaves it
//   its share, without PASSIVE's cost of a sleep and a wake between every two small operators.
//   Answered at load time.
// - with RADAPTER_CPU_ISA=avx2 (see cpufeatures.h): ONEDNN_MAX_CPU_ISA=AVX2,
//   ATEN_CPU_CAPABILITY=avx2 and OPENBLAS_CORETYPE=Haswell, the kernel mix of an AVX2-only CPU;
//   with RADAPTER_CPU_ISA=avx512: AVX512_CORE, avx512 and SkylakeX. OPENBLAS_CORETYPE answered at
//   load time; oneDNN and ATen read theirs on first use, after main() set them.
// - OPENBLAS_CORETYPE=SkylakeX or Haswell when the loaded OpenBLAS did not recognise the CPU and
//   fell back to kernels below its features (the generic SSE3 ones, 3-4x slower); Sandybridge,
//   Nehalem or Prescott when it chose kernels that need 3DNow! or FMA4 for a CPU without them.
//   This one re-executes: it depends on what OpenBLAS chose when it loaded.
// Each is also set in the environment itself, for child processes and `radapter info --system`.
// Where the executable's getenv is not the one the libraries call (a program built without this
// file, a static libc), the load-time variables are set and the program re-executes once.
#include <string>

namespace ra {

struct CpuFeatures;

// OpenBLAS picks its kernels from the CPU's model number; a model newer than the OpenBLAS build
// (Debian 12's 0.3.21 does not know e.g. Emerald Rapids) gets the generic SSE3 "Prescott" kernels,
// measured 3-4x slower here than the AVX-512 ones for ViT-B/32. When CHOSEN, the kernel set the
// loaded OpenBLAS chose (its core name, any case), is below what CPU supports or needs an
// instruction CPU lacks, this names the one to use (an OPENBLAS_CORETYPE value); "" otherwise.
std::string betterOpenblasCore(const CpuFeatures& cpu, std::string chosen);

// ARGV is main's argv. Returns normally (in the re-executed program, or when re-executing fails,
// with the variables set all the same).
void prepareProcessEnvironment(char** argv);

// How this process's environment was prepared: "in-process" (the libraries read the load-time
// defaults through the program's getenv), "re-executed", "re-execution failed" (the variables are
// set but the libraries loaded without them), or "" (prepareProcessEnvironment was not called).
// Reported by `radapter info --system`.
std::string environmentPreparation();

} // namespace ra
