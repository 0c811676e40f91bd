#include "dist/collective.h"

#include "platform/computedevice.h"
#include "util/error.h"

#ifdef RA_HAVE_GLOO
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#endif

#include <chrono>

namespace ra {

struct Collective::Impl {
    DistributedLaunch launch;
#ifdef RA_HAVE_GLOO
    c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
#endif

    // A collective's failure names this rank and what most likely happened.
    [[noreturn]] void fail(const char* what, const std::exception& e) const
    {
        std::string detail = userMessage(e);
        if (detail.size() > 200) detail = detail.substr(0, 200) + "…";
        throw Error("rank " + std::to_string(launch.rank) + " of " + std::to_string(launch.worldSize) + ": " + what +
                    " failed (another rank stopped, failed or was killed, or did not answer within " +
                    std::to_string(launch.timeoutSeconds) + " s): " + detail);
    }

#ifdef RA_HAVE_GLOO
    void wait(const char* what, const c10::intrusive_ptr<c10d::Work>& work) const
    {
        try {
            work->wait(std::chrono::milliseconds(int64_t(launch.timeoutSeconds) * 1000));
        } catch (const std::exception& e) {
            fail(what, e);
        }
    }
#endif
};

bool Collective::available()
{
#ifdef RA_HAVE_GLOO
    return true;
#else
    return false;
#endif
}

Collective::Collective(const DistributedLaunch& launch) : d(std::make_unique<Impl>())
{
    d->launch = launch;
    // The one place every data-parallel command (train, sweep, eval) joins a group.
    if (computesOnGpu())
        throw Error("data-parallel training on GPUs needs the NCCL backend, which this radapter does not have yet; "
                    "train data-parallel on CPUs (Gloo), or one process on one GPU.");
    if (launch.backend != "gloo")
        throw Error("the " + launch.backend + " backend needs a CUDA build of libtorch; this build has gloo only.");
#ifdef RA_HAVE_GLOO
    try {
        const auto timeout = std::chrono::milliseconds(int64_t(launch.timeoutSeconds) * 1000);
        c10d::TCPStoreOptions options;
        options.port = uint16_t(launch.masterPort);
        // torchrun's agent serves the store already; otherwise rank 0 serves it.
        options.isServer = !launch.agentStore && launch.rank == 0;
        options.numWorkers = size_t(launch.worldSize);
        options.waitWorkers = false;
        options.timeout = timeout;
        c10::intrusive_ptr<c10d::Store> store = c10::make_intrusive<c10d::TCPStore>(launch.masterAddress, options);
        if (launch.agentStore)
            store = c10::make_intrusive<c10d::PrefixStore>("/worker/attempt_" + std::to_string(launch.restartCount),
                                                           store);
        auto groupOptions = c10d::ProcessGroupGloo::Options::create(timeout);
        groupOptions->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
        d->group = c10::make_intrusive<c10d::ProcessGroupGloo>(store, launch.rank, launch.worldSize, groupOptions);
    } catch (const std::exception& e) {
        throw Error("rank " + std::to_string(launch.rank) + " could not join the process group at " +
                    launch.masterAddress + ":" + std::to_string(launch.masterPort) + " within " +
                    std::to_string(launch.timeoutSeconds) + " s: " + userMessage(e));
    }
#else
    throw Error("this build of radapter has no Gloo (libtorch without it, or libgloo-dev missing when it was built).");
#endif
}

Collective::~Collective() = default;

std::shared_ptr<Collective> joinProcessGroup(const DistributedLaunch& launch)
{
    return std::make_shared<Collective>(launch);
}

int Collective::rank() const { return d->launch.rank; }
int Collective::worldSize() const { return d->launch.worldSize; }
const DistributedLaunch& Collective::launch() const { return d->launch; }

std::vector<std::vector<size_t>> Collective::buckets(const std::vector<torch::Tensor>& tensors, int64_t maxBytes)
{
    std::vector<std::vector<size_t>> out;
    int64_t bytes = 0;
    for (size_t i = 0; i < tensors.size(); ++i) {
        const int64_t n = tensors[i].numel() * int64_t(tensors[i].element_size());
        if (out.empty() || tensors[out.back().front()].scalar_type() != tensors[i].scalar_type() ||
            bytes + n > maxBytes) {
            out.emplace_back();
            bytes = 0;
        }
        out.back().push_back(i);
        bytes += n;
    }
    return out;
}

struct Collective::PendingSum::State {
    const Impl* owner = nullptr;
    std::vector<torch::Tensor> tensors;
    std::vector<at::Tensor> bucket;
#ifdef RA_HAVE_GLOO
    c10::intrusive_ptr<c10d::Work> work;
#endif
    bool done = false;
};

Collective::PendingSum::~PendingSum()
{
#ifdef RA_HAVE_GLOO
    // Gloo writes into the bucket until the work ends: never free it under a running reduction.
    if (s && !s->done && s->work) try {
            s->work->wait(std::chrono::milliseconds(int64_t(s->owner->launch.timeoutSeconds) * 1000));
        } catch (...) {}
#endif
}

void Collective::PendingSum::finish()
{
    if (s->done) return;
    s->done = true;
#ifdef RA_HAVE_GLOO
    s->owner->wait("an all-reduce", s->work);
    torch::NoGradGuard noGrad;
    int64_t offset = 0;
    for (auto& t : s->tensors) {
        const int64_t n = t.numel();
        t.copy_(s->bucket[0].slice(0, offset, offset + n).view_as(t));
        offset += n;
    }
#endif
}

std::unique_ptr<Collective::PendingSum> Collective::startAllReduceSum(std::vector<torch::Tensor> tensors)
{
    std::unique_ptr<PendingSum> p(new PendingSum);
    p->s = std::make_unique<PendingSum::State>();
    p->s->owner = d.get();
    p->s->tensors = std::move(tensors);
#ifdef RA_HAVE_GLOO
    torch::NoGradGuard noGrad;
    c10::InferenceMode normalTensors(false); // Gloo's threads write the bucket (see allGather)
    std::vector<torch::Tensor> flat;
    for (const auto& t : p->s->tensors) flat.push_back(t.detach().reshape(-1));
    p->s->bucket = {torch::cat(flat)};
    try {
        p->s->work = d->group->allreduce(p->s->bucket);
    } catch (const std::exception& e) {
        d->fail("an all-reduce", e);
    }
#else
    p->s->done = true;
#endif
    return p;
}

void Collective::allReduceSum(const std::vector<torch::Tensor>& tensors)
{
    // Buckets of 16 MB: few calls for adapters, bounded memory for a whole tower.
    std::vector<std::unique_ptr<PendingSum>> pending;
    for (const auto& bucket : buckets(tensors, int64_t(16) << 20)) {
        std::vector<torch::Tensor> parts;
        for (size_t i : bucket) parts.push_back(tensors[i]);
        pending.push_back(startAllReduceSum(std::move(parts)));
    }
    for (auto& p : pending) p->finish();
}

torch::Tensor Collective::allGather(const torch::Tensor& tensor)
{
#ifdef RA_HAVE_GLOO
    torch::NoGradGuard noGrad;
    // Gloo's threads write the outputs outside this thread's InferenceMode, which forbids in-place
    // updates of inference tensors: an evaluation's gather uses ordinary ones.
    c10::InferenceMode normalTensors(false);
    std::vector<at::Tensor> input = {tensor.is_inference() ? tensor.clone() : tensor.detach().contiguous()};
    std::vector<std::vector<at::Tensor>> output(1);
    for (int r = 0; r < worldSize(); ++r) output[0].push_back(torch::empty_like(input[0]));
    d->wait("an all-gather", d->group->allgather(output, input));
    return torch::cat(output[0]);
#else
    return tensor;
#endif
}

torch::Tensor Collective::allGatherWithGrad(const torch::Tensor& tensor)
{
    const torch::Tensor all = allGather(tensor);
    const int64_t n = tensor.size(0);
    std::vector<torch::Tensor> parts;
    for (int r = 0; r < worldSize(); ++r) parts.push_back(r == rank() ? tensor : all.slice(0, r * n, (r + 1) * n));
    return torch::cat(parts);
}

void Collective::barrier()
{
#ifdef RA_HAVE_GLOO
    d->wait("a barrier", d->group->barrier());
#endif
}

} // namespace ra
