#pragma once
// R-Adapter inside a ClipModel: two adapters per block (after the attention output projection
// and after the MLP's c_proj) in every block of the chosen towers, an EMA copy of all adapter
// parameters, and exact re-parameterisation (merge at alpha into out_proj / c_proj and back).
// INTERNAL to core (torch).
//
// Ownership: the AdapterSet owns its adapter modules and installs std::function hooks into the
// model's blocks; remove() (or the destructor) uninstalls them. Not thread-safe.
#include "adapt/adapterconfig.h"
#include "clip/clipmodel.h"

namespace ra {

// The global batch a training step's per-sample dropping masks are drawn for, and where this
// process's samples sit in it. A data-parallel rank draws the whole global batch's mask and takes
// its slice, so every rank's sub-networks are those one process with the global batch would draw.
// globalBatch 0: the forward's own batch (one process).
struct DropMaskSlice {
    int64_t globalBatch = 0;
    int64_t offset = 0;
};
// While alive, this thread's adapters draw per-sample masks for SLICE.
class DropMaskSliceScope {
public:
    explicit DropMaskSliceScope(DropMaskSlice slice);
    ~DropMaskSliceScope();
    DropMaskSliceScope(const DropMaskSliceScope&) = delete;
    DropMaskSliceScope& operator=(const DropMaskSliceScope&) = delete;

private:
    DropMaskSlice m_previous;
};

// While alive, this thread's adapters draw their dropping masks from a generator of their own,
// seeded with SEED (a training step's), instead of torch's global one: two sessions training on
// two threads at once (the demo's pipelines) each draw exactly the masks they draw alone.
class DropMaskSeedScope {
public:
    explicit DropMaskSeedScope(uint64_t seed);
    ~DropMaskSeedScope();
    DropMaskSeedScope(const DropMaskSeedScope&) = delete;
    DropMaskSeedScope& operator=(const DropMaskSeedScope&) = delete;

private:
    c10::optional<at::Generator> m_previous;
};

class RAdapterImpl : public torch::nn::Module {
public:
    RAdapterImpl(int width, const AdapterConfig& config);
    // Returns h + s * scale * mask * F h; in training the mask is drawn from the DropMaskSeedScope's
    // generator, or torch's global one outside such a scope.
    torch::Tensor forward(const torch::Tensor& h);
    // The effective matrix F (d x d).
    torch::Tensor matrix() const;
    bool isLowRank() const { return lowRank; }

    bool lowRank = false;
    double dropProbability = 0.2;
    DropGranularity granularity = DropGranularity::Sample;
    double scale = 1.0;     // alpha when evaluating un-merged; 1 in training
    torch::Tensor weight;   // full rank: [d, d]
    torch::Tensor down, up; // low rank: A [r, d], B [d, r]
    torch::Tensor gate;     // s, scalar
};
TORCH_MODULE(RAdapter);

class AdapterSet {
public:
    AdapterSet(ClipModel model, const AdapterConfig& config);
    ~AdapterSet();
    AdapterSet(const AdapterSet&) = delete;
    AdapterSet& operator=(const AdapterSet&) = delete;

    // Adapter parameters by stable name ("visual.3.attn.weight", "text.0.mlp.gate", ...).
    std::vector<std::pair<std::string, torch::Tensor>> namedParameters() const;
    std::vector<torch::Tensor> parameters() const;
    int64_t weightCount() const; // adapter matrix entries (excludes gates)
    int64_t gateCount() const { return static_cast<int64_t>(m_adapters.size()); }

    // EMA of every adapter parameter: ema = m * ema + (1 - m) * live, after each optimiser step.
    void updateEma(double momentum);
    void resetEmaToLive();
    std::map<std::string, torch::Tensor> emaState() const;
    std::map<std::string, torch::Tensor> liveState() const;
    void loadLiveState(const std::map<std::string, torch::Tensor>& state);
    void loadEmaState(const std::map<std::string, torch::Tensor>& state);

    // Training (dropping on) or evaluation (no dropping). Sets every adapter's module mode.
    void setTraining(bool training);
    // Folds I + alpha * s * F (from the EMA copy when useEma) into out_proj and c_proj weights and
    // biases and disables the hooks; unmerge() restores the saved pre-trained tensors exactly.
    void merge(double alpha, bool useEma);
    void unmerge();
    bool isMerged() const { return m_merged; }
    // Un-merged inference at alpha (hooks stay; F scaled by alpha).
    void setInferenceScale(double alpha);
    void remove();

private:
    struct Slot {
        std::string name; // "visual.3.attn"
        ResidualBlock block;
        bool attention; // after out_proj (true) or after c_proj (false)
        RAdapter adapter;
        torch::Tensor savedWeight, savedBias;
    };
    ClipModel m_model;
    AdapterConfig m_config;
    std::vector<Slot> m_slots;
    std::vector<RAdapter> m_adapters;
    std::map<std::string, torch::Tensor> m_ema;
    bool m_merged = false;
    void installHooks();
};

// Folds the hooks' effect A = I + alpha * s * F into a linear layer (W' = A W, b' = A b).
void foldAdapter(torch::Tensor& weight, torch::Tensor& bias, const torch::Tensor& f, const torch::Tensor& gate,
                 double alpha);

} // namespace ra
