#include "train/trainingmethod.h"

#include "dist/collective.h"
#include "losses/losses.h"

namespace F = torch::nn::functional;

namespace ra {

std::unique_ptr<TrainingMethod> makeTrainingMethod(const MethodContext& context)
{
    switch (context.config.method) {
    case Method::ZeroShot: return makeZeroShotMethod(context);
    case Method::RAdapter: return makeRAdapterMethod(context);
    case Method::Lora: return makeLoraMethod(context);
    case Method::LinearProbe: return makeHeadTuningMethod(context, /*tuneImageTower=*/false);
    case Method::FullFineTune:
    case Method::WiseFt: return makeHeadTuningMethod(context, /*tuneImageTower=*/true);
    }
    return makeZeroShotMethod(context);
}

torch::Tensor contrastiveLoss(ClipModel& model, const TrainBatch& batch, const TrainConfig& config)
{
    const auto unit = F::NormalizeFuncOptions().dim(1);
    auto image = F::normalize(model->encodeImage(batch.images).to(torch::kFloat32), unit);
    auto text = F::normalize(model->encodeText(batch.tokens).to(torch::kFloat32), unit);
    torch::Tensor labels = batch.labels;
    if (batch.collective) {
        image = batch.collective->allGatherWithGrad(image);
        text = batch.collective->allGatherWithGrad(text);
        labels = batch.collective->allGather(labels);
    }
    const double logitScale = 1.0 / config.temperature;
    return config.loss == LossKind::MpmNce ? mpmNceLoss(image, text, labels, config.epsilon, config.margin, logitScale)
                                           : infoNceLoss(image, text, logitScale);
}

void prefixedState(const std::map<std::string, torch::Tensor>& state, const std::string& prefix,
                   std::map<std::string, torch::Tensor>& out)
{
    for (const auto& [name, t] : state) out[prefix + name] = t;
}

std::map<std::string, torch::Tensor> stateUnder(const std::map<std::string, torch::Tensor>& state,
                                                const std::string& prefix)
{
    std::map<std::string, torch::Tensor> out;
    for (const auto& [name, t] : state)
        if (name.rfind(prefix, 0) == 0) out[name.substr(prefix.size())] = t;
    return out;
}

} // namespace ra
