#include "platform/computedevice_p.h"

#include "util/error.h"

#include <torch/cuda.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>

namespace ra {
namespace {

std::mutex g_mutex;
torch::Device g_device(torch::kCPU);

} // namespace

void setComputeDevice(const std::string& spec)
{
    torch::Device device(torch::kCPU);
    try {
        device = torch::Device(spec);
    } catch (const std::exception&) {
        throw Error("--device " + spec + ": not a device; use cpu, cuda or cuda:N.");
    }
    if (!device.is_cpu() && !device.is_cuda()) throw Error("--device " + spec + ": only cpu and cuda are supported.");
    if (device.is_cuda()) {
        if (!at::hasCUDA())
            throw Error("--device " + spec +
                        ": this build of libtorch has no CUDA support; build against a CUDA libtorch (README, "
                        "Scaling out) or use --device cpu.");
        const auto count = int64_t(torch::cuda::device_count());
        if (count == 0) throw Error("--device " + spec + ": no CUDA GPU is visible (check CUDA_VISIBLE_DEVICES).");
        if (!device.has_index()) {
            // Under torchrun every rank on a machine takes its own GPU.
            const char* local = std::getenv("LOCAL_RANK");
            const int64_t index = local ? std::max<int64_t>(0, std::atoll(local)) : 0;
            device = torch::Device(torch::kCUDA, c10::DeviceIndex(index % count));
        }
        if (device.index() >= count)
            throw Error("--device " + spec + ": this machine has " + std::to_string(count) + " CUDA GPU" +
                        (count == 1 ? "" : "s") + " (cuda:0" +
                        (count > 1 ? "..cuda:" + std::to_string(count - 1) : "") + ").");
    }
    std::lock_guard<std::mutex> lock(g_mutex);
    g_device = device;
}

torch::Device computeDevice()
{
    std::lock_guard<std::mutex> lock(g_mutex);
    return g_device;
}

std::string computeDeviceName() { return computeDevice().str(); }

bool computesOnGpu() { return computeDevice().is_cuda(); }

ComputePrecision resolvePrecisionOnDevice(Precision requested)
{
    if (computesOnGpu()) return requested == Precision::Fp32 ? ComputePrecision::Fp32 : ComputePrecision::Bf16;
    return resolvePrecision(requested, cpuFeatures());
}

std::string precisionWarningOnDevice(Precision requested)
{
    return computesOnGpu() ? std::string() : precisionWarning(requested, cpuFeatures());
}

void synchronizeComputeDevice()
{
    const torch::Device device = computeDevice();
    if (device.is_cuda()) torch::cuda::synchronize(device.index());
}

} // namespace ra
