#pragma once
// Precision: what a user asks for (project setting, --precision, the Studio's form) and what runs
// on this CPU. Torch-free.
//
//   auto  bf16 where the CPU multiplies bf16 natively (AVX512-BF16 or AMX), fp32 elsewhere.
//   fp32  float32 everywhere.
//   bf16  bfloat16 matrix products with fp32 master weights. On a CPU without native bf16 it
//         still runs: on AVX-512 through oneDNN's bf16 kernels, on anything less by rounding the
//         operands of the large products to bf16 and multiplying in fp32 ("emulated"), which
//         gives bf16's numbers on every CPU. Either way it is slower than fp32 there, and
//         precisionWarning says so once.
#include "platform/cpufeatures.h"

#include <string>

namespace ra {

enum class Precision { Auto, Fp32, Bf16 };
enum class ComputePrecision { Fp32, Bf16, Bf16Emulated };

const char* precisionName(Precision p);               // "auto", "fp32", "bf16"
const char* computePrecisionName(ComputePrecision p); // "fp32", "bf16", "bf16-emulated"
// Throws ra::Error naming WHAT (e.g. "setting precision") for anything but auto, fp32 or bf16.
Precision precisionFromName(const std::string& name, const std::string& what);

ComputePrecision resolvePrecision(Precision requested, const CpuFeatures& cpu);
// One line for stderr or the status bar when REQUESTED runs slower than fp32 on CPU; else "".
std::string precisionWarning(Precision requested, const CpuFeatures& cpu);

} // namespace ra
