#pragma once
// One training method's part of a TrainingSession: what it trains, its loss, how its trained state
// is applied at an alpha, and what it saves. The session owns the data, the optimiser, the
// schedule, checkpoints and evaluation, and never asks which method it runs; adding a method means
// one new file here (methods/) and one line in makeTrainingMethod. INTERNAL to core (includes
// torch): never include from a public header.
//
// Thread-safety: a method belongs to its session's thread. Functions throw ra::Error.
#include "clip/clipmodel.h"
#include "config/trainconfig.h"

#include <torch/types.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ra {

// One training batch as the session assembled it.
class Collective;

struct TrainBatch {
    torch::Tensor images; // [B, 3, R, R], CLIP-normalised
    torch::Tensor labels; // [B] int64: class, or image index for retrieval (positives share it)
    torch::Tensor tokens; // [B, L] int64 prompts or captions; only when the method usesTexts()
    // Data-parallel runs: this rank's group (the batch is its share of the global batch); null
    // in one process.
    Collective* collective = nullptr;
};

// What a method is built from. The model's parameters are frozen when it is made; the method
// unfreezes what it trains. The config outlives the method (the session owns both).
struct MethodContext {
    ClipModel model;
    const TrainConfig& config;
    // The zero-shot classification head [classes, embed], unit rows (classification projects).
    std::function<torch::Tensor()> zeroShotHead;
};

class TrainingMethod {
public:
    virtual ~TrainingMethod() = default;

    // The tensors the optimiser updates, in a fixed order (it is the optimiser state's order).
    virtual std::vector<torch::Tensor> parameters() const = 0;
    // Whether a batch needs text tokens (contrastive image-text losses).
    virtual bool usesTexts() const = 0;
    // The loss of BATCH with the model in training mode (the session sets precision and mode).
    virtual torch::Tensor loss(const TrainBatch& batch) = 0;
    // Whether loss() is the global batch's loss (features gathered from every rank), so that the
    // ranks' gradients add up; otherwise it is this rank's mean and they are averaged.
    virtual bool lossSpansGlobalBatch() const { return false; }
    // After each optimiser step (EMA updates).
    virtual void afterStep() {}

    // Puts the trained state into the model at ALPHA (0: zero-shot, 1: as trained);
    // revertAlpha() restores the trained state exactly, also after an applyAlpha that threw part-way.
    // Called in pairs, under NoGradGuard.
    virtual void applyAlpha(double alpha) = 0;
    virtual void revertAlpha() = 0;
    // The classification head evaluation uses at the applied alpha ([classes, embed], logit-scaled),
    // or an undefined tensor: the zero-shot head of the (possibly changed) text tower.
    virtual torch::Tensor evaluationHead() const { return {}; }

    // The trained state by checkpoint name; loadState receives the same names with tensors of the
    // same shapes (the session checks them).
    virtual std::map<std::string, torch::Tensor> state() const = 0;
    virtual void loadState(const std::map<std::string, torch::Tensor>& state) = 0;

    // The adapter-only export: its kind ("r-adapter", "lora"; empty: this method has none) and
    // tensors by stable name.
    virtual std::string adapterKind() const { return {}; }
    virtual std::map<std::string, torch::Tensor> adapterTensors() const { return {}; }
    virtual int64_t adapterWeightCount() const { return 0; }
    virtual int64_t adapterGateCount() const { return 0; }
};

std::unique_ptr<TrainingMethod> makeTrainingMethod(const MethodContext& context);

// One factory per method (methods/*.cpp).
std::unique_ptr<TrainingMethod> makeZeroShotMethod(const MethodContext& context);
std::unique_ptr<TrainingMethod> makeRAdapterMethod(const MethodContext& context);
std::unique_ptr<TrainingMethod> makeLoraMethod(const MethodContext& context);
// Linear probe (head only), full fine-tuning and WiSE-FT (head and image tower; they differ only in
// their default alpha).
std::unique_ptr<TrainingMethod> makeHeadTuningMethod(const MethodContext& context, bool tuneImageTower);

// The image-text loss of the contrastive methods: MPM-NCE or InfoNCE as the config says, on
// L2-normalised features of both towers; in a data-parallel run over the global batch (every
// rank's features and labels gathered, this rank's part keeping its gradient).
torch::Tensor contrastiveLoss(ClipModel& model, const TrainBatch& batch, const TrainConfig& config);
// Checkpoint names are "PREFIX/name": prefixedState adds PREFIX to every name of STATE (into
// OUT), stateUnder takes the entries under PREFIX back out with it removed ("live/x" -> "x").
void prefixedState(const std::map<std::string, torch::Tensor>& state, const std::string& prefix,
                   std::map<std::string, torch::Tensor>& out);
std::map<std::string, torch::Tensor> stateUnder(const std::map<std::string, torch::Tensor>& state,
                                                const std::string& prefix);

} // namespace ra
