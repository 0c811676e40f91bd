#include "adapt/loraset.h"

#include "adapt/namedtensors.h"
#include "util/error.h"

namespace ra {

LoraSet::LoraSet(ClipModel model, int rank) : m_model(std::move(model))
{
    auto add = [&](const std::string& tower, Transformer& t, int width) {
        for (size_t i = 0; i < t->blocks.size(); ++i) {
            Slot s{tower + "." + std::to_string(i), t->blocks[i]->attn, {}, {}, {}, {}, {}};
            s.aq = torch::empty({rank, width});
            s.av = torch::empty({rank, width});
            torch::nn::init::xavier_uniform_(s.aq);
            torch::nn::init::xavier_uniform_(s.av);
            s.bq = torch::zeros({width, rank});
            s.bv = torch::zeros({width, rank});
            // Initialised on the CPU (the same values on every device), then moved to the model's.
            for (auto* p : {&s.aq, &s.bq, &s.av, &s.bv})
                *p = p->to(m_model->logit_scale.device()).set_requires_grad(true);
            m_slots.push_back(std::move(s));
        }
    };
    add("visual", m_model->visual->transformer, m_model->config.visionWidth);
    add("text", m_model->transformer, m_model->config.textWidth);
    installHooks();
}

LoraSet::~LoraSet() { remove(); }

void LoraSet::installHooks()
{
    for (auto& s : m_slots) {
        const Slot* slot = &s;
        const double* scale = &m_scale;
        s.attention->inProjExtra = [slot, scale](const torch::Tensor& x) {
            namespace F = torch::nn::functional;
            auto q = F::linear(F::linear(x, slot->aq), slot->bq);
            auto v = F::linear(F::linear(x, slot->av), slot->bv);
            return torch::cat({q, torch::zeros_like(q), v}, -1) * *scale;
        };
    }
}

void LoraSet::remove()
{
    if (m_merged) unmerge();
    for (auto& s : m_slots) s.attention->inProjExtra = nullptr;
}

std::vector<std::pair<std::string, torch::Tensor>> LoraSet::namedParameters() const
{
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (const auto& s : m_slots) {
        out.emplace_back(s.name + ".q.A", s.aq);
        out.emplace_back(s.name + ".q.B", s.bq);
        out.emplace_back(s.name + ".v.A", s.av);
        out.emplace_back(s.name + ".v.B", s.bv);
    }
    return out;
}

std::vector<torch::Tensor> LoraSet::parameters() const { return tensorsOf(namedParameters()); }

std::map<std::string, torch::Tensor> LoraSet::state() const { return copiesOf(namedParameters()); }

void LoraSet::loadState(const std::map<std::string, torch::Tensor>& state)
{
    torch::NoGradGuard g;
    for (const auto& [n, p] : namedParameters()) p.copy_(requireStateTensor(state, n, p, "LoRA state"));
}

void LoraSet::merge(double alpha)
{
    if (m_merged) unmerge();
    torch::NoGradGuard g;
    for (auto& s : m_slots) {
        auto& w = s.attention->in_proj_weight;
        s.saved = w.detach().clone();
        const int64_t d = w.size(1);
        w.slice(0, 0, d).add_(torch::matmul(s.bq, s.aq), alpha);
        w.slice(0, 2 * d, 3 * d).add_(torch::matmul(s.bv, s.av), alpha);
        s.attention->inProjExtra = nullptr;
    }
    m_merged = true;
}

void LoraSet::unmerge()
{
    if (!m_merged) return;
    torch::NoGradGuard g;
    for (auto& s : m_slots) s.attention->in_proj_weight.copy_(s.saved);
    m_merged = false;
    installHooks();
}

} // namespace ra
