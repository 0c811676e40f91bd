// libFuzzer target: the safetensors reader on arbitrary bytes. It must throw ra::Error or read
// tensors whose bytes lie inside the file; AddressSanitizer catches any read outside it.
#include "io/safetensors.h"
#include "util/error.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const std::string path = "/tmp/radapter-fuzz-" + std::to_string(getpid()) + ".safetensors";
    if (FILE* f = std::fopen(path.c_str(), "wb")) {
        std::fwrite(data, 1, size, f);
        std::fclose(f);
    }
    try {
        const ra::SafeTensorsFile file = ra::SafeTensorsFile::open(path);
        volatile uint8_t sink = 0;
        for (const auto& [name, info] : file.tensors()) {
            const uint8_t* bytes = static_cast<const uint8_t*>(file.data(name));
            for (uint64_t i = info.begin; i < info.end; i += 4096) sink = sink ^ bytes[i - info.begin];
        }
        (void)file.metadata();
    } catch (const ra::Error&) {}
    try { // the header-only read (model descriptions) sees the same header and no data
        const ra::SafeTensorsFile header = ra::SafeTensorsFile::open(path, /*headerOnly=*/true);
        for (const auto& [name, info] : header.tensors()) (void)info.numel();
    } catch (const ra::Error&) {}
    return 0;
}
