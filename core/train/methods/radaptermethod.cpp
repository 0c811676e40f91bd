// R-Adapter: adapters in both towers trained with the contrastive loss, stochastic adapter
// dropping, an EMA copy, and re-scaling by alpha when merged (adapt/adapterset.h, method.md).
#include "train/trainingmethod.h"

#include "adapt/adapterset.h"

namespace ra {

namespace {

class RAdapterMethod final : public TrainingMethod {
public:
    explicit RAdapterMethod(const MethodContext& c)
        : m_model(c.model), m_config(c.config), m_adapters(c.model, c.config.adapter)
    {}

    std::vector<torch::Tensor> parameters() const override { return m_adapters.parameters(); }
    bool usesTexts() const override { return true; }
    bool lossSpansGlobalBatch() const override { return true; }
    torch::Tensor loss(const TrainBatch& batch) override
    {
        m_adapters.setTraining(true); // dropping on
        return contrastiveLoss(m_model, batch, m_config);
    }
    void afterStep() override
    {
        if (m_config.useEma) m_adapters.updateEma(m_config.emaMomentum);
    }

    void applyAlpha(double alpha) override
    {
        m_adapters.setTraining(false);
        m_adapters.merge(alpha, m_config.useEma);
    }
    void revertAlpha() override
    {
        m_adapters.unmerge();
        m_adapters.setTraining(true);
    }

    std::map<std::string, torch::Tensor> state() const override
    {
        std::map<std::string, torch::Tensor> out;
        prefixedState(m_adapters.liveState(), "live/", out);
        prefixedState(m_adapters.emaState(), "ema/", out);
        return out;
    }
    void loadState(const std::map<std::string, torch::Tensor>& state) override
    {
        m_adapters.loadLiveState(stateUnder(state, "live/"));
        m_adapters.loadEmaState(stateUnder(state, "ema/"));
    }

    std::string adapterKind() const override { return "r-adapter"; }
    std::map<std::string, torch::Tensor> adapterTensors() const override
    {
        return m_config.useEma ? m_adapters.emaState() : m_adapters.liveState();
    }
    int64_t adapterWeightCount() const override { return m_adapters.weightCount(); }
    int64_t adapterGateCount() const override { return m_adapters.gateCount(); }

private:
    ClipModel m_model;
    const TrainConfig& m_config;
    AdapterSet m_adapters;
};

} // namespace

std::unique_ptr<TrainingMethod> makeRAdapterMethod(const MethodContext& context)
{
    return std::make_unique<RAdapterMethod>(context);
}

} // namespace ra
