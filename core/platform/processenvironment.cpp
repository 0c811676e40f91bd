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
    // Between two parallel regions libgomp's workers spin up to GOMP_SPINCOUNT iterations before
    // they sleep; its default (300,000) burns milliseconds of a core a desktop shares, PASSIVE (no
    // spin) made the demo's small training steps 30 % slower here (a futex wake per operator).
    // 10,000 keeps the hand-over between consecutive operators fast and sleeps soon after.
    bool loadTime = !std::getenv("OMP_WAIT_POLICY") && setDefault("GOMP_SPINCOUNT", "10000");
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
    // The resolved path, not /proc/self/exe itself: the kernel names a process after the file it
    // executed, and "exe" in top or ps would hide which program is running.
    if (loadTime && argv && argv[0]) {
        char self[4096];
        const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n > 0) {
            self[n] = '\0';
            execv(self, argv);
        }
        execv("/proc/self/exe", argv);
    }
}

} // namespace ra
