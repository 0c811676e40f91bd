#include "platform/precision.h"

#include "util/error.h"

namespace ra {

const char* precisionName(Precision p)
{
    switch (p) {
    case Precision::Auto: return "auto";
    case Precision::Fp32: return "fp32";
    case Precision::Bf16: return "bf16";
    }
    return "auto";
}

const char* computePrecisionName(ComputePrecision p)
{
    switch (p) {
    case ComputePrecision::Fp32: return "fp32";
    case ComputePrecision::Bf16: return "bf16";
    case ComputePrecision::Bf16Emulated: return "bf16-emulated";
    }
    return "fp32";
}

Precision precisionFromName(const std::string& name, const std::string& what)
{
    if (name == "auto") return Precision::Auto;
    if (name == "fp32") return Precision::Fp32;
    if (name == "bf16") return Precision::Bf16;
    throw Error(what + ": '" + name + "' is not auto, fp32 or bf16.");
}

ComputePrecision resolvePrecision(Precision requested, const CpuFeatures& cpu)
{
    switch (requested) {
    case Precision::Fp32: return ComputePrecision::Fp32;
    case Precision::Auto: return cpu.nativeBf16() && cpu.avx512Core() ? ComputePrecision::Bf16 : ComputePrecision::Fp32;
    case Precision::Bf16:
        // oneDNN's and ATen's bf16 kernels need the AVX-512 core subset; below it they abort.
        return cpu.avx512Core() ? ComputePrecision::Bf16 : ComputePrecision::Bf16Emulated;
    }
    return ComputePrecision::Fp32;
}

std::string precisionWarning(Precision requested, const CpuFeatures& cpu)
{
    if (requested != Precision::Bf16 || cpu.nativeBf16()) return {};
    return std::string("precision bf16: this CPU has no native bf16 (AVX512-BF16 or AMX), so bf16 runs ") +
        (cpu.avx512Core() ? "on oneDNN's converting kernels" : "emulated in fp32") +
        " and is slower than fp32 here; 'auto' picks the fastest precision.";
}

} // namespace ra
