// The program's own getenv, which answers the numerical libraries' load-time variables with the
// program's defaults (platform/processenvironment.h). A file of its own, depending on nothing: every
// program that links core gets this getenv (runstore.cpp's std::getenv resolves to it), and the
// radapter front end (app/cli/engine.h), which must not pull in libtorch, too.
#include "platform/loadtimegetenv.h"

#include <cstring>

extern char** environ;

namespace ra {

// NAME's value in the environment itself (without the defaults below); null when unset.
const char* environmentValue(const char* name)
{
    const size_t n = std::strlen(name);
    if (n == 0 || std::strchr(name, '=') || !environ) return nullptr;
    for (char** entry = environ; *entry; ++entry)
        if (std::strncmp(*entry, name, n) == 0 && (*entry)[n] == '=') return *entry + n + 1;
    return nullptr;
}

// What libgomp and OpenBLAS should read for NAME, which they read when they load, where the user
// set nothing (processenvironment.h); null for every other name.
const char* loadTimeDefault(const char* name)
{
    // Between two parallel regions libgomp's workers spin up to GOMP_SPINCOUNT iterations before
    // they sleep; its default (300,000) burns milliseconds of a core a desktop shares, PASSIVE (no
    // spin) made the demo's small training steps 30 % slower here (a futex wake per operator).
    // 10,000 keeps the hand-over between consecutive operators fast and sleeps soon after.
    if (std::strcmp(name, "GOMP_SPINCOUNT") == 0) return environmentValue("OMP_WAIT_POLICY") ? nullptr : "10000";
    if (std::strcmp(name, "OPENBLAS_CORETYPE") == 0) {
        const char* isa = environmentValue("RADAPTER_CPU_ISA");
        if (isa && std::strcmp(isa, "avx2") == 0) return "Haswell";
        if (isa && std::strcmp(isa, "avx512") == 0) return "SkylakeX";
    }
    return nullptr;
}

} // namespace ra

// The program's getenv: the environment's value, else the load-time default. The executable's
// definition is the one every shared library's getenv resolves to (the dynamic linker looks in the
// executable first), so libgomp's and OpenBLAS's constructors, which run before main(), read the
// defaults without the program re-executing itself to set them. It reads only `environ`, which
// libc has set up before any other library's constructor runs, and keeps no state.
extern "C" char* getenv(const char* name) noexcept
{
    if (const char* value = ra::environmentValue(name)) return const_cast<char*>(value);
    return const_cast<char*>(ra::loadTimeDefault(name));
}
