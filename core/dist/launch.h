#pragma once
// How this process was launched for data-parallel training: by torchrun (RANK, WORLD_SIZE,
// LOCAL_RANK, MASTER_ADDR, MASTER_PORT), by Slurm's srun (SLURM_PROCID, SLURM_NTASKS,
// SLURM_LOCALID, plus MASTER_ADDR / MASTER_PORT), or not at all. Torch-free; reads nothing but
// what it is given.
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace ra {

class Collective; // dist/collective.h (internal)

struct DistributedLaunch {
    int rank = 0;
    int worldSize = 1;
    int localRank = 0;
    std::string masterAddress = "127.0.0.1";
    int masterPort = 29500;
    std::string backend = "gloo"; // "gloo" (CPU) or "nccl" (CUDA builds)
    std::string launcher;         // "torchrun", "slurm" or "url"
    // torchrun's agent already serves the rendezvous store on MASTER_PORT: the ranks join it as
    // clients under the prefix of this restart (TORCHELASTIC_USE_AGENT_STORE, _RESTART_COUNT).
    bool agentStore = false;
    int restartCount = 0;
    int timeoutSeconds = 300; // every collective and the rendezvous (RADAPTER_DIST_TIMEOUT)
};

using EnvironmentLookup = std::function<std::optional<std::string>(const std::string&)>;
// The process environment.
std::optional<std::string> processEnvironment(const std::string& name);

// The launch described by ENV, with BACKEND ("" = gloo) and URL ("" = from the environment;
// "env://", or "tcp://HOST:PORT" for the rendezvous) as --dist-backend and --dist-url give them.
// Empty when no launcher set the variables (WORLD_SIZE or SLURM_NTASKS missing, or 1). Throws
// ra::Error naming the variable when one is malformed or inconsistent (rank outside the world).
std::optional<DistributedLaunch> detectLaunch(const EnvironmentLookup& env, const std::string& backend = {},
                                              const std::string& url = {});

// Joins the process group LAUNCH describes, for TrainingSession::setCollective. Throws ra::Error
// when the rendezvous fails or times out, or the build has no such backend.
std::shared_ptr<Collective> joinProcessGroup(const DistributedLaunch& launch);

} // namespace ra
