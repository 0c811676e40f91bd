#pragma once
// What R-Adapter's and LoRA's weight sets share: a named list of trainable tensors, copied out
// as a state and copied back in with every name and shape checked. Core-internal (torch).
#include <torch/types.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ra {

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

std::vector<torch::Tensor> tensorsOf(const NamedTensors& named);
// Detached copies by name (a state to save or keep).
std::map<std::string, torch::Tensor> copiesOf(const NamedTensors& named);
// STATE's tensor NAME, after checking it exists with LIKE's shape (else ra::Error naming WHAT,
// e.g. "adapter state", and the tensor).
const torch::Tensor& requireStateTensor(const std::map<std::string, torch::Tensor>& state, const std::string& name,
                                        const torch::Tensor& like, const std::string& what);

} // namespace ra
