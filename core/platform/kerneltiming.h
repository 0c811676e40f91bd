#pragma once
// What every kernel family's calibration (kernelselect.h) shares: timing one candidate after
// checking its output, and the size classes a calibration measures. Core-internal (torch).
#include <torch/types.h>

#include <cstdint>
#include <functional>

namespace ra {

// Milliseconds per call of RUN: the fastest of a few runs after one warm-up, whose output is
// checked against REFERENCE first (maximum error relative to REFERENCE's largest magnitude at
// most TOLERANCE). Negative when the candidate throws or disagrees: such a kernel never wins.
double timeKernelCandidate(const std::function<torch::Tensor()>& run, const torch::Tensor& reference, double tolerance);

// N rounded up to a power of two in [8, 2048]: larger sizes behave like 2048 and would make the
// measurement slow.
int64_t sizeBucket(int64_t n);

} // namespace ra
