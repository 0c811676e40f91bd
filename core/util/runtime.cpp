#include "util/runtime.h"

#include <torch/torch.h>

#include <thread>

namespace ra {

int hardwareThreads() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

void setThreadCount(int n) { torch::set_num_threads(n > 0 ? n : hardwareThreads()); }

int threadCount() { return torch::get_num_threads(); }

} // namespace ra
