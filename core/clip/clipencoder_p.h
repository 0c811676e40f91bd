#pragma once
// Private definition of ClipEncoder::Impl for core's own torch code (trainer, evaluator, export).
#include "clip/clipencoder.h"
#include "clip/clipmodel.h"

namespace ra {

struct ClipEncoder::Impl {
    ClipModel model{nullptr};
    std::string source;
    std::string layout;
    Precision precision = Precision::Fp32;
    ComputePrecision compute = ComputePrecision::Fp32;
    torch::Tensor toTensor(const std::vector<std::vector<float>>& images) const;
};

// Converts [N, D] float tensor to a FloatMatrix.
FloatMatrix toMatrix(const torch::Tensor& t);
// The other way: M as a [rows, cols] double tensor (a copy), for arithmetic that wants double.
torch::Tensor toDoubleTensor(const FloatMatrix& m);

} // namespace ra
