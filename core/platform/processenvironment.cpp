#include "platform/processenvironment.h"

#include "platform/cpufeatures.h"
#include "platform/loadtimegetenv.h"
#include "util/runtime.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <string>
#include <unistd.h>

namespace ra {
namespace {

// Sets NAME to VALUE unless the environment has it; true when it changed the environment.
bool setDefault(const char* name, const char* value)
{
    if (environmentValue(name)) return false;
    setenv(name, value, 1);
    return true;
}

// Whether the libraries' getenv is the one above (not libc's): then they read the load-time
// defaults when they loaded.
bool librariesReadOurGetenv() { return dlsym(RTLD_DEFAULT, "getenv") == reinterpret_cast<void*>(&::getenv); }

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
    // The marker stops a second re-execution whatever happens to the other variables, and says
    // how the environment was prepared (environmentPreparation).
    if (environmentValue("RADAPTER_ENV_PREPARED")) return;
    setenv("RADAPTER_ENV_PREPARED", "in-process", 1);
    const bool readAtLoad = librariesReadOurGetenv();
    bool reexecute = false;
    // The load-time defaults, into the environment itself too (children, info --system); without
    // our getenv the libraries have not read them yet.
    for (const char* name : {"GOMP_SPINCOUNT", "OPENBLAS_CORETYPE"})
        if (const char* value = loadTimeDefault(name); value && setDefault(name, value)) reexecute |= !readAtLoad;
    const char* limit = environmentValue("RADAPTER_CPU_ISA");
    const std::string isa = limit ? limit : "";
    if (isa == "avx2") {
        setDefault("ONEDNN_MAX_CPU_ISA", "AVX2");
        setDefault("ATEN_CPU_CAPABILITY", "avx2");
    } else if (isa == "avx512") {
        setDefault("ONEDNN_MAX_CPU_ISA", "AVX512_CORE");
        setDefault("ATEN_CPU_CAPABILITY", "avx512");
    }
    // What the loaded OpenBLAS chose can only be changed by loading it again.
    if (const std::string core = betterOpenblasCore(cpuFeatures(), openblasCoreName()); !core.empty())
        reexecute |= setDefault("OPENBLAS_CORETYPE", core.c_str());
    // ATen and oneDNN read their variables on first use, which is still ahead.
    // The resolved path, not /proc/self/exe itself: the kernel names a process after the file it
    // executed, and "exe" in top or ps would hide which program is running.
    if (reexecute && argv && argv[0]) {
        setenv("RADAPTER_ENV_PREPARED", "re-executed", 1);
        char self[4096];
        const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n > 0) {
            self[n] = '\0';
            execv(self, argv);
        }
        execv("/proc/self/exe", argv);
        setenv("RADAPTER_ENV_PREPARED", "re-execution failed", 1);
    }
}

std::string environmentPreparation()
{
    const char* how = environmentValue("RADAPTER_ENV_PREPARED");
    return how ? how : "";
}

} // namespace ra
