#include "util/runtime.h"

#include <torch/torch.h>

#include <malloc.h>
#include <thread>

namespace ra {
namespace {

// Activations of a CLIP forward pass are a few to tens of MB each. glibc serves such blocks with
// mmap and returns them on free, so every op pays fresh page faults (measured: ~30 % of a ViT-B/32
// forward on 2 cores). Keeping them on the heap, untrimmed, removes that cost.
void tuneAllocator()
{
    static const bool done = [] {
        mallopt(M_MMAP_THRESHOLD, 1 << 30);
        mallopt(M_TRIM_THRESHOLD, 1 << 30);
        mallopt(M_TOP_PAD, 64 << 20);
        return true;
    }();
    (void)done;
}

} // namespace

int hardwareThreads() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

void setThreadCount(int n)
{
    tuneAllocator();
    torch::set_num_threads(n > 0 ? n : hardwareThreads());
}

int threadCount() { return torch::get_num_threads(); }

} // namespace ra
