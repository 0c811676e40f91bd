#pragma once
// What this CPU can do, read once from CPUID (and the OS's XSAVE state, so a feature the kernel
// does not enable counts as absent). Torch-free: the Studio's About box reads it too.
//
// RADAPTER_CPU_ISA=avx2 masks everything above AVX2 (AVX-512, AVX512-BF16, AMX) so that an
// AVX-512 machine takes the paths an AVX2-only laptop takes; processenvironment.h passes the same
// limit on to oneDNN, ATen and OpenBLAS. Unset (or "native") means the CPU as it is.
#include <string>

namespace ra {

struct CpuFeatures {
    std::string vendor;   // "GenuineIntel", "AuthenticAMD", ...
    std::string model;    // the brand string, e.g. "AMD EPYC 7B13"
    int logicalCores = 1; // online hardware threads
    bool avx2 = false, fma = false;
    bool avx512f = false, avx512bw = false, avx512vl = false, avx512dq = false;
    bool avx512bf16 = false; // AVX512_BF16: native bf16 dot products
    bool amxBf16 = false;    // AMX tiles with bf16
    // Older extensions, for choosing OpenBLAS's kernel set where it misjudges the CPU
    // (processenvironment.h); not in flagList, since none of them picks one of our kernels.
    bool avx = false, sse42 = false;
    bool amd3dNow = false, fma4 = false; // AMD's 3DNow! and FMA4, which Zen and later no longer have
    std::string isaLimit;                // "" (native) or the RADAPTER_CPU_ISA value that masked features

    // bf16 matrix products in hardware (otherwise bf16 is converted and multiplied in fp32).
    bool nativeBf16() const { return avx512bf16 || amxBf16; }
    // The AVX-512 subset oneDNN's and ATen's bf16 kernels require.
    bool avx512Core() const { return avx512f && avx512bw && avx512vl && avx512dq; }
    // "avx512-bf16", "avx512", "avx2" or "baseline": the class that picks kernels.
    std::string isaClass() const;
    // The feature names that are present, space-separated ("avx2 fma avx512f ...").
    std::string flagList() const;
    // Identifies the machine for caches: model, flags and the ISA limit.
    std::string identity() const;
};

// Reads the CPU, then applies ISA_LIMIT ("", "native", "avx2", "avx512"). Throws ra::Error for an
// unknown limit.
CpuFeatures detectCpuFeatures(const std::string& isaLimit);
// The process's view: detectCpuFeatures($RADAPTER_CPU_ISA), computed once. An unknown value is
// reported once on stderr and treated as native.
const CpuFeatures& cpuFeatures();

// Of one kernel compiled for AVX-512 F and one for AVX2 + FMA, the widest the process's CPU (as
// masked) runs, or nullptr where it has neither: how our own vector loops (packed GEMM, QuickGELU,
// softmax) choose theirs.
template <class Kernel>
const Kernel* widestVectorKernel(const Kernel* avx512, const Kernel* avx2)
{
    const CpuFeatures& cpu = cpuFeatures();
    return cpu.avx512f ? avx512 : cpu.avx2 && cpu.fma ? avx2 : nullptr;
}

} // namespace ra
