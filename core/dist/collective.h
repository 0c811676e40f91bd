#pragma once
// The c10d process group of a data-parallel run: PyTorch's own Gloo backend (CPU) joined through
// a TCPStore rendezvous, as torchrun's workers and open_clip join theirs. INTERNAL to core
// (includes torch): never include from a public header.
//
// Every collective waits at most the launch's timeout; a rank that failed or was killed makes
// the others throw ra::Error saying so instead of hanging. Thread-safety: one thread (the
// session's) uses a collective.
#include "dist/launch.h"

#include <torch/torch.h>

#include <memory>
#include <vector>

namespace ra {

class Collective {
public:
    // Joins the group LAUNCH describes. Throws ra::Error when the rendezvous fails or times out,
    // or when this build has no such backend.
    explicit Collective(const DistributedLaunch& launch);
    ~Collective();
    Collective(const Collective&) = delete;
    Collective& operator=(const Collective&) = delete;

    int rank() const;
    int worldSize() const;
    const DistributedLaunch& launch() const;

    // Sums every tensor over the ranks, in place (flattened into buckets, one all-reduce each).
    void allReduceSum(const std::vector<torch::Tensor>& tensors);
    // Every rank's TENSOR stacked along dim 0 in rank order (all ranks' shapes must agree).
    // WithGrad: this rank's slice is TENSOR itself, so the gradient of anything computed from the
    // result flows back into this rank's part (open_clip's --gather-with-grad).
    torch::Tensor allGather(const torch::Tensor& tensor);
    torch::Tensor allGatherWithGrad(const torch::Tensor& tensor);
    void barrier();

    // Whether this build can join a group at all (libtorch was built with Gloo and its headers were
    // found at build time).
    static bool available();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace ra
