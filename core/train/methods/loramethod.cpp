// LoRA: low-rank updates of the attention input projections in both towers, trained with the
// contrastive loss, scaled by alpha when merged (adapt/loraset.h).
#include "train/trainingmethod.h"

#include "adapt/loraset.h"

namespace ra {

namespace {

class LoraMethod final : public TrainingMethod {
public:
    explicit LoraMethod(const MethodContext& c)
        : m_model(c.model), m_config(c.config), m_lora(c.model, c.config.loraRank)
    {}

    std::vector<torch::Tensor> parameters() const override { return m_lora.parameters(); }
    bool usesTexts() const override { return true; }
    bool lossSpansGlobalBatch() const override { return true; }
    torch::Tensor loss(const TrainBatch& batch) override { return contrastiveLoss(m_model, batch, m_config); }

    void applyAlpha(double alpha) override { m_lora.merge(alpha); }
    void revertAlpha() override { m_lora.unmerge(); }

    std::map<std::string, torch::Tensor> state() const override
    {
        std::map<std::string, torch::Tensor> out;
        prefixedState(m_lora.state(), "lora/", out);
        return out;
    }
    void loadState(const std::map<std::string, torch::Tensor>& state) override
    {
        m_lora.loadState(stateUnder(state, "lora/"));
    }

    std::string adapterKind() const override { return "lora"; }
    std::map<std::string, torch::Tensor> adapterTensors() const override { return m_lora.state(); }

private:
    ClipModel m_model;
    const TrainConfig& m_config;
    LoraSet m_lora;
};

} // namespace

std::unique_ptr<TrainingMethod> makeLoraMethod(const MethodContext& context)
{
    return std::make_unique<LoraMethod>(context);
}

} // namespace ra
