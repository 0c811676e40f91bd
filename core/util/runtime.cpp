#include "util/runtime.h"

#include "platform/usablecores.h"

#include <torch/utils.h>

#include <ATen/Parallel.h>

#include <dlfcn.h>
#include <malloc.h>
#include <mutex>
#include <set>

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

// libtorch does not pass its thread count on to OpenBLAS, which sizes itself from the core count
// when it loads; with --threads 1 it would still run (and between calls spin) on every core.
// Looked up at run time: Debian's libtorch reaches OpenBLAS through the libblas.so.3 alternative,
// which may also be the reference BLAS that has no such function.
using SetThreads = void (*)(int);
using GetThreads = int (*)();

SetThreads openblasSetThreads()
{
    return reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
}
GetThreads openblasGetThreads()
{
    return reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
}

} // namespace

int hardwareThreads() { return usableCores(); }

void setThreadCount(int n)
{
    tuneAllocator();
    const int threads = n > 0 ? std::min(n, hardwareThreads() * 4) : hardwareThreads();
    torch::set_num_threads(threads);
    if (auto set = openblasSetThreads()) set(threads);
    // The inter-op pool can be sized only before it starts; later calls keep the first size.
    static std::once_flag interop;
    std::call_once(interop, [threads] {
        try {
            torch::set_num_interop_threads(threads);
        } catch (const std::exception&) {}
    });
}

int threadCount() { return torch::get_num_threads(); }

int coreParallelThreads()
{
    std::mutex m;
    std::set<int> seen;
    at::parallel_for(0, threadCount(), 1, [&](int64_t, int64_t) {
        std::lock_guard<std::mutex> lock(m);
        seen.insert(at::get_thread_num());
    });
    return static_cast<int>(seen.size());
}

int blasThreadCount()
{
    auto get = openblasGetThreads();
    return get ? get() : -1;
}

std::string openblasCoreName()
{
    using CoreName = char* (*)();
    auto corename = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
    return corename ? std::string(corename()) : std::string();
}

} // namespace ra
