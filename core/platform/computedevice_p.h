#pragma once
// The compute device as a torch::Device, for core's own torch code. INTERNAL (includes torch).
#include "platform/computedevice.h"

#include <torch/types.h>

namespace ra {

torch::Device computeDevice();
// Waits for the device's queued work (timing a GPU); nothing on the CPU.
void synchronizeComputeDevice();

} // namespace ra
