#include "adapt/namedtensors.h"

#include "util/error.h"

namespace ra {

std::vector<torch::Tensor> tensorsOf(const NamedTensors& named)
{
    std::vector<torch::Tensor> out;
    for (const auto& [name, t] : named) out.push_back(t);
    return out;
}

std::map<std::string, torch::Tensor> copiesOf(const NamedTensors& named)
{
    std::map<std::string, torch::Tensor> out;
    for (const auto& [name, t] : named) out[name] = t.detach().clone();
    return out;
}

const torch::Tensor& requireStateTensor(const std::map<std::string, torch::Tensor>& state, const std::string& name,
                                        const torch::Tensor& like, const std::string& what)
{
    auto it = state.find(name);
    if (it == state.end()) throw Error(what + ": the tensor '" + name + "' is missing.");
    if (it->second.sizes() != like.sizes()) throw Error(what + ": the tensor '" + name + "' has the wrong shape.");
    return it->second;
}

} // namespace ra
