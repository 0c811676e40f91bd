#include "dist/launch.h"

#include "util/error.h"
#include "util/numbertext.h"

#include <cstdlib>

namespace ra {

std::optional<std::string> processEnvironment(const std::string& name)
{
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
}

namespace {

int integerVariable(const EnvironmentLookup& env, const std::string& name, int fallback, int min, int max)
{
    const auto v = env(name);
    if (!v || v->empty()) return fallback;
    const auto n = wholeNumberFrom(*v);
    if (!n || *n < min || *n > max)
        throw Error("the environment variable " + name + " must be a whole number from " + std::to_string(min) +
                    " to " + std::to_string(max) + ", got '" + *v + "'.");
    return int(*n);
}

} // namespace

std::optional<DistributedLaunch> detectLaunch(const EnvironmentLookup& env, const std::string& backend,
                                              const std::string& url)
{
    DistributedLaunch l;
    constexpr int kMaxRanks = 1 << 16;
    if (env("WORLD_SIZE")) {
        l.launcher = "torchrun";
        l.worldSize = integerVariable(env, "WORLD_SIZE", 1, 1, kMaxRanks);
        l.rank = integerVariable(env, "RANK", 0, 0, kMaxRanks - 1);
        l.localRank = integerVariable(env, "LOCAL_RANK", 0, 0, kMaxRanks - 1);
    } else if (env("SLURM_NTASKS")) {
        l.launcher = "slurm";
        l.worldSize = integerVariable(env, "SLURM_NTASKS", 1, 1, kMaxRanks);
        l.rank = integerVariable(env, "SLURM_PROCID", 0, 0, kMaxRanks - 1);
        l.localRank = integerVariable(env, "SLURM_LOCALID", 0, 0, kMaxRanks - 1);
    } else {
        return std::nullopt;
    }
    if (l.worldSize == 1) return std::nullopt;
    if (l.rank >= l.worldSize)
        throw Error("the launch says rank " + std::to_string(l.rank) + " of a world of " + std::to_string(l.worldSize) +
                    " processes.");
    if (const auto a = env("MASTER_ADDR"); a && !a->empty()) l.masterAddress = *a;
    else if (l.launcher == "slurm")
        throw Error("under Slurm, set MASTER_ADDR (e.g. the first host of $SLURM_JOB_NODELIST) and MASTER_PORT.");
    l.masterPort = integerVariable(env, "MASTER_PORT", l.masterPort, 1, 65535);
    l.agentStore = env("TORCHELASTIC_USE_AGENT_STORE").value_or("") == "True";
    l.restartCount = integerVariable(env, "TORCHELASTIC_RESTART_COUNT", 0, 0, 1 << 20);
    l.timeoutSeconds = integerVariable(env, "RADAPTER_DIST_TIMEOUT", l.timeoutSeconds, 1, 24 * 3600);
    if (!url.empty() && url != "env://") {
        // tcp://HOST:PORT: this process group's own rendezvous, not torchrun's store.
        const std::string prefix = "tcp://";
        const auto colon = url.rfind(':');
        if (url.rfind(prefix, 0) != 0 || colon == std::string::npos || colon < prefix.size() + 1)
            throw Error("--dist-url must be env:// or tcp://HOST:PORT, got '" + url + "'.");
        l.masterAddress = url.substr(prefix.size(), colon - prefix.size());
        const auto port = wholeNumberFrom(url.substr(colon + 1));
        if (!port || *port < 1 || *port > 65535)
            throw Error("--dist-url needs a port from 1 to 65535, got '" + url + "'.");
        l.masterPort = int(*port);
        l.agentStore = false;
        l.launcher = "url";
    }
    l.backend = backend.empty() ? "gloo" : backend;
    if (l.backend != "gloo" && l.backend != "nccl")
        throw Error("--dist-backend must be gloo or nccl, got '" + l.backend + "'.");
    return l;
}

} // namespace ra
