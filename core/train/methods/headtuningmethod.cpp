// The cross-entropy methods on a classification head initialised from the zero-shot head:
// linear probe (the head alone, on frozen image features), full fine-tuning and WiSE-FT (the head
// and every image-tower weight). Alpha interpolates the weights between the start (theta0) and
// the trained ones (theta1): theta0 + alpha * (theta1 - theta0), WiSE-FT's weight-space ensemble.
#include "train/trainingmethod.h"

#include <torch/nn/functional/loss.h>

namespace F = torch::nn::functional;

namespace ra {

namespace {

class HeadTuningMethod final : public TrainingMethod {
public:
    HeadTuningMethod(const MethodContext& c, bool tuneImageTower) : m_model(c.model), m_tuneImageTower(tuneImageTower)
    {
        m_headInit = c.zeroShotHead() * (1.0 / c.config.temperature);
        m_head = m_headInit.clone().set_requires_grad(true);
        if (!tuneImageTower) return;
        for (auto& p : m_model->visual->parameters()) {
            m_visualInit.push_back(p.detach().clone());
            p.set_requires_grad(true);
            m_visual.push_back(p);
        }
    }

    std::vector<torch::Tensor> parameters() const override
    {
        std::vector<torch::Tensor> out = {m_head};
        out.insert(out.end(), m_visual.begin(), m_visual.end());
        return out;
    }
    bool usesTexts() const override { return false; }
    torch::Tensor loss(const TrainBatch& batch) override
    {
        torch::Tensor features;
        if (m_tuneImageTower) {
            features = m_model->encodeImage(batch.images);
        } else {
            torch::NoGradGuard frozen;
            features = m_model->encodeImage(batch.images);
        }
        auto image = F::normalize(features.to(torch::kFloat32), F::NormalizeFuncOptions().dim(1));
        return F::cross_entropy(torch::matmul(image, m_head.t()), batch.labels);
    }

    void applyAlpha(double alpha) override
    {
        m_savedVisual.clear();
        for (size_t i = 0; i < m_visual.size(); ++i) {
            m_savedVisual.push_back(m_visual[i].detach().clone());
            m_visual[i].copy_(m_visualInit[i] + alpha * (m_savedVisual.back() - m_visualInit[i]));
        }
        m_savedHead = m_head.detach().clone();
        m_head.copy_(m_headInit + alpha * (m_savedHead - m_headInit));
    }
    void revertAlpha() override
    {
        for (size_t i = 0; i < m_savedVisual.size(); ++i) m_visual[i].copy_(m_savedVisual[i]);
        if (m_savedHead.defined()) m_head.copy_(m_savedHead);
        m_savedVisual.clear();
        m_savedHead = torch::Tensor();
    }
    torch::Tensor evaluationHead() const override { return m_head.detach(); }

    std::map<std::string, torch::Tensor> state() const override
    {
        std::map<std::string, torch::Tensor> out = {{"head", m_head.detach()}};
        for (size_t i = 0; i < m_visual.size(); ++i) out["visual/" + std::to_string(i)] = m_visual[i].detach();
        return out;
    }
    void loadState(const std::map<std::string, torch::Tensor>& state) override
    {
        m_head.copy_(state.at("head"));
        for (size_t i = 0; i < m_visual.size(); ++i) m_visual[i].copy_(state.at("visual/" + std::to_string(i)));
    }

private:
    ClipModel m_model;
    bool m_tuneImageTower;
    torch::Tensor m_head, m_headInit;                  // [classes, embed], logit-scaled
    std::vector<torch::Tensor> m_visual, m_visualInit; // theta1 (live) and theta0
    std::vector<torch::Tensor> m_savedVisual;          // the trained state while an alpha is applied
    torch::Tensor m_savedHead;
};

} // namespace

std::unique_ptr<TrainingMethod> makeHeadTuningMethod(const MethodContext& context, bool tuneImageTower)
{
    return std::make_unique<HeadTuningMethod>(context, tuneImageTower);
}

} // namespace ra
