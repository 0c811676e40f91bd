#include "adapt/adapterset.h"

#include "adapt/namedtensors.h"
#include "util/error.h"

#include <ATen/CPUGeneratorImpl.h>

namespace ra {

namespace {
thread_local DropMaskSlice t_dropMaskSlice;
thread_local c10::optional<at::Generator> t_maskGenerator;
} // namespace

DropMaskSliceScope::DropMaskSliceScope(DropMaskSlice slice) : m_previous(t_dropMaskSlice) { t_dropMaskSlice = slice; }
DropMaskSliceScope::~DropMaskSliceScope() { t_dropMaskSlice = m_previous; }

// A fresh CPU generator seeded with SEED is in the state torch::manual_seed(SEED) puts the global
// one in, so the masks are those the global generator drew before.
DropMaskSeedScope::DropMaskSeedScope(uint64_t seed) : m_previous(t_maskGenerator)
{
    t_maskGenerator = at::make_generator<at::CPUGeneratorImpl>(seed);
}
DropMaskSeedScope::~DropMaskSeedScope() { t_maskGenerator = m_previous; }

RAdapterImpl::RAdapterImpl(int width, const AdapterConfig& c)
    : lowRank(c.rank > 0 && c.rank < width), dropProbability(c.dropProbability), granularity(c.granularity)
{
    if (lowRank) {
        down = register_parameter("down", torch::empty({c.rank, width}));
        torch::nn::init::xavier_uniform_(down);
        up = register_parameter("up", torch::zeros({width, c.rank}));
    } else {
        weight = register_parameter("weight", torch::zeros({width, width}));
    }
    gate = register_parameter("gate", torch::full({}, c.gateInit));
}

torch::Tensor RAdapterImpl::matrix() const { return lowRank ? torch::matmul(up, down) : weight; }

torch::Tensor RAdapterImpl::forward(const torch::Tensor& h)
{
    // h: [N, L, D]
    torch::Tensor z = lowRank ? torch::nn::functional::linear(torch::nn::functional::linear(h, down), up)
                              : torch::nn::functional::linear(h, weight);
    if (is_training() && dropProbability > 0) {
        const double keep = 1.0 - dropProbability;
        const PooledPositions* pooled = granularity == DropGranularity::Token ? pooledPositions() : nullptr;
        std::vector<int64_t> shape;
        switch (granularity) {
        case DropGranularity::Sample:
            shape = {t_dropMaskSlice.globalBatch > 0 ? t_dropMaskSlice.globalBatch : h.size(0), 1, 1};
            break;
        case DropGranularity::Batch: shape = {1, 1, 1}; break;
        case DropGranularity::Token: shape = {1, pooled ? pooled->length : h.size(1), 1}; break;
        }
        // Drawn on the CPU from the step's generator (the same masks on every device), then moved.
        auto mask = torch::empty(shape, h.options().device(torch::kCPU).requires_grad(false))
                        .bernoulli_(keep, t_maskGenerator)
                        .div_(keep);
        // A block run for its pooled positions alone: each sample keeps its own position's draw.
        if (pooled) mask = mask.index_select(1, pooled->rows.cpu()).view({-1, 1, 1});
        // A plain copy to a GPU waits until the GPU has run every kernel queued before it, and a
        // step draws a mask per adapter (48 in ViT-B); from pinned memory the copy is queued like
        // a kernel (libtorch's host allocator keeps the block until the copy has run).
        mask = h.device().is_cpu() ? mask : mask.pin_memory().to(h.device(), /*non_blocking=*/true);
        if (mask.size(0) != 1 && mask.size(0) != h.size(0)) mask = mask.narrow(0, t_dropMaskSlice.offset, h.size(0));
        z = z * mask;
    }
    return h + gate.to(z.dtype()) * scale * z;
}

AdapterSet::AdapterSet(ClipModel model, const AdapterConfig& config) : m_model(std::move(model)), m_config(config)
{
    auto add = [&](const std::string& tower, Transformer& t, int width) {
        for (size_t i = 0; i < t->blocks.size(); ++i)
            for (bool attention : {true, false}) {
                RAdapter a(width, config);
                a->to(m_model->logit_scale.device()); // initialised on the CPU: the same on every device
                m_adapters.push_back(a);
                m_slots.push_back({tower + "." + std::to_string(i) + (attention ? ".attn" : ".mlp"),
                                   t->blocks[i],
                                   attention,
                                   a,
                                   {},
                                   {}});
            }
    };
    if (config.vision) add("visual", m_model->visual->transformer, m_model->config.visionWidth);
    if (config.text) add("text", m_model->transformer, m_model->config.textWidth);
    resetEmaToLive();
    installHooks();
}

AdapterSet::~AdapterSet() { remove(); }

void AdapterSet::installHooks()
{
    for (auto& slot : m_slots) {
        RAdapter a = slot.adapter;
        auto hook = [a](const torch::Tensor& h) mutable { return a->forward(h); };
        if (slot.attention) slot.block->afterAttention = hook;
        else slot.block->afterMlp = hook;
    }
}

void AdapterSet::remove()
{
    if (m_merged) unmerge();
    for (auto& slot : m_slots) {
        if (slot.attention) slot.block->afterAttention = nullptr;
        else slot.block->afterMlp = nullptr;
    }
}

std::vector<std::pair<std::string, torch::Tensor>> AdapterSet::namedParameters() const
{
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (const auto& slot : m_slots)
        for (const auto& p : slot.adapter->named_parameters()) out.emplace_back(slot.name + "." + p.key(), p.value());
    return out;
}

std::vector<torch::Tensor> AdapterSet::parameters() const { return tensorsOf(namedParameters()); }

int64_t AdapterSet::weightCount() const
{
    int64_t n = 0;
    for (const auto& [name, p] : namedParameters())
        if (p.dim() > 0) n += p.numel();
    return n;
}

void AdapterSet::resetEmaToLive()
{
    torch::NoGradGuard g;
    m_ema.clear();
    for (const auto& [name, p] : namedParameters()) m_ema[name] = p.detach().clone();
}

void AdapterSet::updateEma(double m)
{
    torch::NoGradGuard g;
    for (const auto& [name, p] : namedParameters()) m_ema[name].mul_(m).add_(p.detach(), 1.0 - m);
}

std::map<std::string, torch::Tensor> AdapterSet::emaState() const { return m_ema; }

std::map<std::string, torch::Tensor> AdapterSet::liveState() const { return copiesOf(namedParameters()); }

void AdapterSet::loadLiveState(const std::map<std::string, torch::Tensor>& state)
{
    torch::NoGradGuard g;
    for (const auto& [name, p] : namedParameters()) p.copy_(requireStateTensor(state, name, p, "adapter state"));
}

void AdapterSet::loadEmaState(const std::map<std::string, torch::Tensor>& state)
{
    for (const auto& [name, p] : namedParameters())
        m_ema[name] =
            requireStateTensor(state, name, p, "adapter EMA state").detach().to(p.device(), torch::kFloat32).clone();
}

void AdapterSet::setTraining(bool training)
{
    for (auto& a : m_adapters) a->train(training);
}

void AdapterSet::setInferenceScale(double alpha)
{
    for (auto& a : m_adapters) a->scale = alpha;
}

void foldAdapter(torch::Tensor& weight, torch::Tensor& bias, const torch::Tensor& f, const torch::Tensor& gate,
                 double alpha)
{
    torch::NoGradGuard g;
    const auto d = f.size(0);
    // Double precision for the fold keeps merged == un-merged to ~1e-7.
    auto a = torch::eye(d, f.options().dtype(torch::kFloat64)) +
        alpha * gate.to(torch::kFloat64) * f.to(torch::kFloat64);
    weight.copy_(torch::matmul(a, weight.to(torch::kFloat64)).to(weight.dtype()));
    bias.copy_(torch::matmul(a, bias.to(torch::kFloat64)).to(bias.dtype()));
}

void AdapterSet::merge(double alpha, bool useEma)
{
    if (m_merged) unmerge();
    torch::NoGradGuard g;
    for (auto& slot : m_slots) {
        auto& linear = slot.attention ? slot.block->attn->out_proj : slot.block->mlp->c_proj;
        slot.savedWeight = linear->weight.detach().clone();
        slot.savedBias = linear->bias.detach().clone();
        torch::Tensor f, gate;
        if (useEma) {
            if (slot.adapter->isLowRank())
                f = torch::matmul(m_ema.at(slot.name + ".up"), m_ema.at(slot.name + ".down"));
            else f = m_ema.at(slot.name + ".weight");
            gate = m_ema.at(slot.name + ".gate");
        } else {
            f = slot.adapter->matrix().detach();
            gate = slot.adapter->gate.detach();
        }
        foldAdapter(linear->weight, linear->bias, f, gate, alpha);
        if (slot.attention) slot.block->afterAttention = nullptr;
        else slot.block->afterMlp = nullptr;
    }
    m_merged = true;
}

void AdapterSet::unmerge()
{
    if (!m_merged) return;
    torch::NoGradGuard g;
    for (auto& slot : m_slots) {
        auto& linear = slot.attention ? slot.block->attn->out_proj : slot.block->mlp->c_proj;
        linear->weight.copy_(slot.savedWeight);
        linear->bias.copy_(slot.savedBias);
        slot.savedWeight = slot.savedBias = torch::Tensor();
    }
    m_merged = false;
    installHooks();
}

} // namespace ra
