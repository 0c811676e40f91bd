#include "platform/systeminfo.h"

#include "clip/imagepreprocess.h"
#include "clip/quickgelu.h"
#include "platform/computedevice.h"
#include "platform/cpufeatures.h"
#include "platform/processenvironment.h"
#include "platform/kernelselect.h"
#include "platform/precision.h"
#include "platform/usablecores.h"
#include "util/runtime.h"

#include <ATen/Version.h>
#include <nlohmann/json.hpp>
#include <torch/cuda.h>
#include <torch/utils.h>
#include <torch/version.h>

#include <cstdlib>
#include <dlfcn.h>

namespace ra {
namespace {

// The symbols are looked up at run time: which BLAS and which oneDNN are loaded is Debian's
// alternatives' choice, not the build's.
std::string openblasConfig()
{
    using Fn = char* (*)();
    auto config = reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, "openblas_get_config"));
    // PyTorch's own wheels link MKL statically and export no BLAS symbols of their own.
    if (!config) return at::hasMKL() ? "not OpenBLAS (libtorch's MKL)" : "not OpenBLAS (reference BLAS?)";
    return std::string(config()) + " (kernels: " + openblasCoreName() + ")";
}

std::string onednnVersion()
{
    struct Version {
        int major, minor, patch;
        const char* hash;
    };
    using Fn = const Version* (*)();
    auto version = reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, "dnnl_version"));
    if (!version) return at::get_mkldnn_version();
    const Version* v = version();
    return std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
}

// ATen's vectorised-kernel level (honours ATEN_CPU_CAPABILITY); libtorch exports it only as a
// line of its configuration text.
std::string atenCapability()
{
    const std::string config = at::show_config();
    const std::string tag = "CPU capability usage: ";
    const auto at = config.find(tag);
    if (at == std::string::npos) return "unknown";
    const auto start = at + tag.size();
    return config.substr(start, config.find('\n', start) - start);
}

std::string env(const char* name)
{
    const char* v = std::getenv(name);
    return v ? v : "";
}

} // namespace

std::string systemInfoJson(int indent)
{
    const CpuFeatures& c = cpuFeatures();
    const KernelSelectionReport k = kernelSelectionReport();
    const CoreLimits limits = coreLimits();
    nlohmann::json j;
    j["cpu"] = {{"vendor", c.vendor},
                {"model", c.model},
                {"logical_cores", c.logicalCores},
                {"usable_cores", limits.usable},
                {"affinity_cores", limits.affinity},
                {"cgroup_cpu_quota", limits.quota > 0 ? nlohmann::json(limits.quota) : nlohmann::json()},
                {"isa_class", c.isaClass()},
                {"isa_limit", c.isaLimit.empty() ? "native" : c.isaLimit},
                {"features",
                 {{"avx2", c.avx2},
                  {"fma", c.fma},
                  {"avx512f", c.avx512f},
                  {"avx512bw", c.avx512bw},
                  {"avx512vl", c.avx512vl},
                  {"avx512dq", c.avx512dq},
                  {"avx512_bf16", c.avx512bf16},
                  {"amx_bf16", c.amxBf16}}},
                {"native_bf16", c.nativeBf16()}};
    j["precision"] = {{"auto", computePrecisionName(resolvePrecision(Precision::Auto, c))},
                      {"bf16", computePrecisionName(resolvePrecision(Precision::Bf16, c))}};
    j["libraries"] = {{"libtorch", TORCH_VERSION},    {"aten_cpu_capability", atenCapability()},
                      {"onednn", onednnVersion()},    {"mkldnn_enabled", torch::hasMKLDNN()},
                      {"openblas", openblasConfig()}, {"image_decoder", imageDecoderName()}};
    j["device"] = {{"compute", computeDeviceName()},
                   {"cuda_available", torch::cuda::is_available()},
                   {"cuda_devices", int64_t(torch::cuda::device_count())}};
    j["threads"] = {{"torch_intra_op", threadCount()},
                    {"torch_inter_op", at::get_num_interop_threads()},
                    {"core_parallel_for", coreParallelThreads()},
                    {"openblas", blasThreadCount()},
                    {"omp_wait_policy", env("OMP_WAIT_POLICY")},
                    {"omp_spin_count", env("GOMP_SPINCOUNT")}};
    j["environment"] = nlohmann::json::object();
    for (const char* name :
         {"RADAPTER_CPU_ISA", "RADAPTER_LINEAR_KERNEL", "RADAPTER_ATTENTION_KERNEL", "RADAPTER_QUICKGELU_KERNEL",
          "ONEDNN_MAX_CPU_ISA", "ATEN_CPU_CAPABILITY", "OPENBLAS_CORETYPE", "OMP_WAIT_POLICY", "GOMP_SPINCOUNT"})
        if (!env(name).empty()) j["environment"][name] = env(name);
    j["environment_prepared"] = environmentPreparation();
    j["kernels"] = {{"cache", k.cachePath},
                    {"cache_reused", k.cacheReused},
                    {"forced", k.forced.empty() ? "no" : k.forced},
                    {"measured_by_this_process", k.calibrations},
                    {"choices", k.choices},
                    {"quickgelu", quickGeluKernelName()}};
    return j.dump(indent > 0 ? indent : -1);
}

std::string isaLabel(const CpuFeatures& c)
{
    const std::string cls = c.isaClass();
    std::string isa = cls == "avx512-bf16" ? "AVX-512 + BF16"
        : cls == "avx512"                  ? "AVX-512"
        : cls == "avx2"                    ? "AVX2"
                                           : "SSE";
    // AMX multiplies bf16 several times faster than AVX512-BF16 (oneDNN's matmul uses it).
    if (c.amxBf16 && c.avx512Core()) isa += " + AMX";
    if (!c.isaLimit.empty()) isa += " (limited)";
    return isa;
}

std::string systemSummaryLine()
{
    const CpuFeatures& c = cpuFeatures();
    const std::string isa = isaLabel(c);
    const int threads = threadCount();
    return (c.model.empty() ? c.vendor : c.model) + " · " + isa + " · " + std::to_string(threads) +
        (threads == 1 ? " thread" : " threads") +
        " · precision auto = " + computePrecisionName(resolvePrecision(Precision::Auto, c));
}

} // namespace ra
