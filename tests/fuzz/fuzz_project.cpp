// libFuzzer target: the project parser on arbitrary bytes. It must load or throw ra::Error;
// nlohmann's exceptions or anything else escaping is a bug (libFuzzer reports it as a crash).
#include "project/project.h"
#include "util/error.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const std::string path = "/tmp/radapter-fuzz-" + std::to_string(getpid()) + ".json";
    if (FILE* f = std::fopen(path.c_str(), "wb")) {
        std::fwrite(data, 1, size, f);
        std::fclose(f);
    }
    try {
        ra::Project::load(path);
    } catch (const ra::Error&) {}
    return 0;
}
