#pragma once
// The c10d process group of a data-parallel run: PyTorch's own Gloo backend (CPU) joined through
// a TCPStore rendezvous, as torchrun's workers and open_clip join theirs. INTERNAL to core
// (includes torch): never include from a public header.
//
// Every collective waits at most the launch's timeout; a rank that failed or was killed makes
// the others throw ra::Error saying so instead of hanging. Thread-safety: one thread (the
// session's) uses a collective.
#include "dist/launch.h"

#include <torch/types.h>

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

    // Sums every tensor over the ranks, in place (flattened into buckets, one all-reduce each,
    // all in flight at once).
    void allReduceSum(const std::vector<torch::Tensor>& tensors);

    // One bucket's all-reduce, started and running on Gloo's threads while this thread goes on
    // (gradients are summed while backward is still computing the earlier layers'). finish()
    // waits for it and writes each sum back into its tensor; the destructor waits without
    // writing. The tensors must share a dtype.
    class PendingSum {
    public:
        ~PendingSum();
        PendingSum(const PendingSum&) = delete;
        PendingSum& operator=(const PendingSum&) = delete;
        void finish();

    private:
        friend class Collective;
        PendingSum() = default;
        struct State;
        std::unique_ptr<State> s;
    };
    std::unique_ptr<PendingSum> startAllReduceSum(std::vector<torch::Tensor> tensors);
    // Splits TENSORS, in order, into runs of one dtype and at most MAX_BYTES each (a larger tensor
    // alone): the indices of each bucket's tensors.
    static std::vector<std::vector<size_t>> buckets(const std::vector<torch::Tensor>& tensors, int64_t maxBytes);
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
