#include "platform/processenvironment.h"

#include "platform/cpufeatures.h"
#include "util/runtime.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>

namespace ra {
namespace {

// Sets NAME to VALUE unless it is set; true when it changed the environment.
bool setDefault(const char* name, const char* value)
{
    if (std::getenv(name)) return false;
    setenv(name, value, 1);
    return true;
}

// OpenBLAS picks its kernels from the CPU's model number; a model newer than the OpenBLAS build
// (Debian 12's 0.3.21 does not know e.g. Emerald Rapids) gets the generic SSE3 "Prescott" kernels,
// measured 3-4x slower here than the AVX-512 ones for ViT-B/32. When the loaded OpenBLAS chose a
// kernel set below what the CPU's features support, this names the right one; "" otherwise.
std::string betterOpenblasCore(const CpuFeatures& cpu)
{
    std::string core = openblasCoreName();
    if (core.empty()) return {};
    std::transform(core.begin(), core.end(), core.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    const bool avx512Core = core == "skylakex" || core == "cooperlake" || core == "sapphirerapids";
    const bool avx2Core = avx512Core || core == "haswell" || core == "zen";
    if (cpu.avx512Core() && !avx512Core) return "SkylakeX";
    if (cpu.avx2 && cpu.fma && !avx2Core) return "Haswell";
    return {};
}

} // namespace

void prepareProcessEnvironment(char** argv)
{
    // The marker stops a second re-execution whatever happens to the other variables.
    if (std::getenv("RADAPTER_ENV_PREPARED")) return;
    setenv("RADAPTER_ENV_PREPARED", "1", 1);
    bool loadTime = setDefault("OMP_WAIT_POLICY", "PASSIVE");
    const char* limit = std::getenv("RADAPTER_CPU_ISA");
    const std::string isa = limit ? limit : "";
    if (isa == "avx2") {
        setDefault("ONEDNN_MAX_CPU_ISA", "AVX2");
        setDefault("ATEN_CPU_CAPABILITY", "avx2");
        loadTime |= setDefault("OPENBLAS_CORETYPE", "Haswell");
    } else if (isa == "avx512") {
        setDefault("ONEDNN_MAX_CPU_ISA", "AVX512_CORE");
        setDefault("ATEN_CPU_CAPABILITY", "avx512");
        loadTime |= setDefault("OPENBLAS_CORETYPE", "SkylakeX");
    }
    if (const std::string core = betterOpenblasCore(cpuFeatures()); !core.empty())
        loadTime |= setDefault("OPENBLAS_CORETYPE", core.c_str());
    // ATen and oneDNN read their variables on first use, which is still ahead; libgomp and
    // OpenBLAS read theirs when they were loaded, before main().
    if (loadTime && argv && argv[0]) execv("/proc/self/exe", argv);
}

} // namespace ra
