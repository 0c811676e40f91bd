#include "adapt/adapterconfig.h"

#include "util/error.h"

namespace ra {

const char* granularityName(DropGranularity g)
{
    switch (g) {
    case DropGranularity::Sample: return "sample";
    case DropGranularity::Batch: return "batch";
    case DropGranularity::Token: return "token";
    }
    return "?";
}

DropGranularity granularityFromName(const std::string& name)
{
    if (name == "sample") return DropGranularity::Sample;
    if (name == "batch") return DropGranularity::Batch;
    if (name == "token") return DropGranularity::Token;
    throw Error("unknown dropping granularity '" + name + "' (sample, batch or token).");
}

} // namespace ra
