// libFuzzer target: CLIP's tokenizer (text cleaning, ICU regex, BPE) on arbitrary bytes, which
// need not be valid UTF-8. Every result is SOT ... EOT padded to the context length.
#include "clip/tokenizer.h"
#include "util/error.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const auto ids = ra::Tokenizer::instance().tokenize(text, 77);
        if (ids.size() != 77) std::abort();
        for (const int64_t id : ids)
            if (id < 0 || id >= 49408) std::abort();
    } catch (const ra::Error&) {}
    return 0;
}
