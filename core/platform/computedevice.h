#pragma once
// The device the program computes on: the CPU (the default, and always for the Studio) or a CUDA
// GPU (`radapter --device cuda[:N]`, a libtorch built with CUDA). Models, batches, adapters and
// optimiser state live there; what the program reads back (features, accuracies, checkpoints)
// comes back to the CPU. Torch-free.
//
// Thread-safety: set once at start-up, before any model is loaded; read from any thread.
#include "platform/precision.h"

#include <string>

namespace ra {

// SPEC: "cpu", "cuda" or "cuda:N". "cuda" picks the GPU named by LOCAL_RANK under torchrun (each
// rank its own), else GPU 0. Throws ra::Error in one sentence when the device cannot be used
// (a libtorch without CUDA, no GPU visible, an index past the last GPU).
void setComputeDevice(const std::string& spec);
// "cpu" or "cuda:N".
std::string computeDeviceName();
bool computesOnGpu();
// REQUESTED as it runs on the compute device: on a GPU auto and bf16 are bf16 autocast; on the
// CPU as resolvePrecision says for this CPU.
ComputePrecision resolvePrecisionOnDevice(Precision requested);
// One line when REQUESTED runs slower than fp32 here (a CPU without native bf16), else "".
std::string precisionWarningOnDevice(Precision requested);

} // namespace ra
