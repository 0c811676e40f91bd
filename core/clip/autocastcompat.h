#pragma once
// Autocast state per device type, over the API of the libtorch at hand: 1.13 (Debian) has one
// function per device (set_cpu_enabled, set_autocast_gpu_dtype, ...), 2.4 and later take the
// device type (set_autocast_enabled(kCUDA, ...)) and deprecate the old names. INTERNAL (torch).
#include <ATen/autocast_mode.h>
#include <torch/version.h>

#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define RA_AUTOCAST_BY_DEVICE_TYPE 1
#endif

namespace ra::autocast {

inline bool enabled(c10::DeviceType type)
{
#ifdef RA_AUTOCAST_BY_DEVICE_TYPE
    return at::autocast::is_autocast_enabled(type);
#else
    return type == c10::DeviceType::CUDA ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
#endif
}

inline void setEnabled(c10::DeviceType type, bool on)
{
#ifdef RA_AUTOCAST_BY_DEVICE_TYPE
    at::autocast::set_autocast_enabled(type, on);
#else
    if (type == c10::DeviceType::CUDA) at::autocast::set_enabled(on);
    else at::autocast::set_cpu_enabled(on);
#endif
}

inline at::ScalarType dtype(c10::DeviceType type)
{
#ifdef RA_AUTOCAST_BY_DEVICE_TYPE
    return at::autocast::get_autocast_dtype(type);
#else
    return type == c10::DeviceType::CUDA ? at::autocast::get_autocast_gpu_dtype()
                                         : at::autocast::get_autocast_cpu_dtype();
#endif
}

inline void setDtype(c10::DeviceType type, at::ScalarType scalarType)
{
#ifdef RA_AUTOCAST_BY_DEVICE_TYPE
    at::autocast::set_autocast_dtype(type, scalarType);
#else
    if (type == c10::DeviceType::CUDA) at::autocast::set_autocast_gpu_dtype(scalarType);
    else at::autocast::set_autocast_cpu_dtype(scalarType);
#endif
}

} // namespace ra::autocast
