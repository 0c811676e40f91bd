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

} // namespace

std::string betterOpenblasCore(const CpuFeatures& cpu, std::string chosen)
{
    if (chosen.empty()) return {};
    std::transform(chosen.begin(), chosen.end(), chosen.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    const bool avx512Core = chosen == "skylakex" || chosen == "cooperlake" || chosen == "sapphirerapids";
    const bool avx2Core = avx512Core || chosen == "haswell" || chosen == "zen";
    if (cpu.avx512Core() && !avx512Core) return "SkylakeX";
    if (cpu.avx2 && cpu.fma && !avx2Core) return "Haswell";
    // OpenBLAS picks by family and model number, not by feature flags, and some of its kernel sets
    // need instructions of their family: the Opteron ones AMD's 3DNow! (FEMMS), the Bulldozer
    // family's FMA4. A virtual machine's CPU model can claim such a family on a host without them
    // (QEMU's baseline "qemu64" is an AMD family 15, an Opteron to OpenBLAS; "Opteron_G5" a
    // Piledriver; Zen hosts have neither): the first matrix product stopped with SIGILL
    // (scripts/check-emulated-cpu.sh --cpu qemu64, --cpu Opteron_G5).
    const bool needs3dNow = chosen == "athlon" || chosen == "opteron" || chosen == "opteron_sse3";
    const bool needsFma4 = chosen == "bulldozer" || chosen == "piledriver" || chosen == "steamroller" ||
        chosen == "excavator";
    if ((needs3dNow && !cpu.amd3dNow) || (needsFma4 && !cpu.fma4))
        return cpu.avx ? "Sandybridge" : cpu.sse42 ? "Nehalem" : "Prescott";
    return {};
}

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
    if (const std::string core = betterOpenblasCore(cpuFeatures(), openblasCoreName()); !core.empty())
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
