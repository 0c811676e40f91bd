#pragma once
// What this process runs on and with: the CPU (cpufeatures.h), the libraries' versions, the
// thread budget, what `auto` precision means here, and which matrix-product kernels were chosen.
// For `radapter info --system`, the JSON of `radapter bench`, and the Studio's About box and status
// bar. Torch-free.
#include <string>

namespace ra {

struct CpuFeatures;

// The whole picture as one JSON object (pretty-printed with INDENT > 0).
std::string systemInfoJson(int indent = 2);
// One short line: "AMD EPYC 7B13 · AVX2 · 2 threads · precision auto = fp32".
std::string systemSummaryLine();
// The instruction-set part of that line for these features: "AVX2", "AVX-512 + BF16 + AMX", ...
std::string isaLabel(const CpuFeatures& c);

} // namespace ra
