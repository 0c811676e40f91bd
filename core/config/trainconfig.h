#pragma once
// Everything that defines a training run's method and hyper-parameters, as a torch-free value
// type below both the project (which holds one) and the training session (which runs one). Set
// from project files ("hyperparameters") and the CLI's --set key=value through
// applySetting, which validates each value and explains a refusal.
#include "adapt/adapterconfig.h"
#include "clip/clipencoder.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ra {

enum class Method { ZeroShot, LinearProbe, FullFineTune, WiseFt, Lora, RAdapter };
enum class LossKind { MpmNce, InfoNce };

const char* lossName(LossKind k);               // "mpm-nce", "infonce"
const char* scheduleName(bool cosine);          // "cosine", "constant"
const char* methodName(Method m);               // as in project files: "radapter", "finetune", ...
const char* methodLabel(Method m);              // for people: "R-Adapter", "fine-tuning", ...
Method methodFromName(const std::string& name); // throws ra::Error
// Whether M trains a classification head beside the CLIP weights (linear probe, fine-tuning,
// WiSE-FT): a merged export then writes it to its own file (classificationHeadPath).
bool trainsClassificationHead(Method m);
// Where an export to TARGET puts that head: TARGET/classification_head.safetensors for a Hugging
// Face folder, NAME.head.safetensors beside NAME.safetensors otherwise.
std::string classificationHeadPath(const std::string& target, bool folder);

struct TrainConfig {
    Method method = Method::RAdapter;
    // Optimisation (AdamW, linear warm-up then a cosine or constant schedule, gradient clipping).
    int steps = 300;
    double epochs = 0;          // > 0: steps = ceil(epochs * training pairs / batch), set when a session starts
    bool cosineSchedule = true; // false: constant after warm-up
    int batchSize = 64;
    double learningRate = 5e-4;
    double weightDecay = 0.0;
    int warmupSteps = -1; // -1: min(500, steps / 10)
    double gradClip = 1.0;
    double cropScaleMin = 0.9; // RandomResizedCrop scale range (bicubic)
    double cropScaleMax = 1.0;
    // R-Adapter and its ablation switches.
    AdapterConfig adapter;
    double emaMomentum = 0.999;
    bool useEma = true;
    LossKind loss = LossKind::MpmNce;
    double epsilon = 0.02;     // MPM-NCE label smoothing
    double margin = 0.05;      // MPM-NCE additive cosine margin on negatives
    double temperature = 0.01; // logit scale 1/temperature, frozen
    double alpha = -1;         // evaluation / export re-scaling; -1: the method's default (evalAlpha)
    int loraRank = 8;
    // Runtime.
    Precision precision = Precision::Auto;
    int threads = 0; // 0: all cores
    uint64_t seed = 0;
    int evalEvery = 50;       // steps between ID/OOD evaluations (0: only at the end)
    int checkpointEvery = 50; // steps between checkpoints (0: only at the end)
    int evalLimit = 0;        // at most this many images per evaluation set (0: all), evenly spaced
    // Early stopping: training ends after this many periodic evaluations in a row without a gain
    // of more than earlyStopMinDelta accuracy points on the ID validation set, and the run keeps
    // the weights of its best evaluation (0: train every step, keep the last weights).
    int earlyStopPatience = 0;
    double earlyStopMinDelta = 0;

    int effectiveWarmup() const { return warmupSteps >= 0 ? warmupSteps : std::min(500, steps / 10); }
    bool trains() const { return method != Method::ZeroShot; }
    // R-Adapter and WiSE-FT default to 0.5 (the paper's classification value); the plain
    // fine-tuning methods to 1 (the fine-tuned weights themselves).
    // Retrieval runs default to 0.8, as the paper.
    double evalAlpha() const
    {
        if (alpha >= 0) return alpha;
        if (method == Method::RAdapter) return retrievalTask ? 0.8 : 0.5;
        return method == Method::WiseFt ? 0.5 : 1.0;
    }
    bool retrievalTask = false; // set from the project's task, not a user setting

    // Throws ra::Error naming the key when it is unknown or the value is invalid.
    void applySetting(const std::string& key, const std::string& value);
    // Every setting as key -> text (the keys applySetting accepts).
    std::map<std::string, std::string> toParams() const;
    // Throws ra::Error when settings contradict each other.
    void validate() const;
};

// Why setting KEY has no effect on a run with C's method and settings, in a few words ("LoRA
// only" for lora_rank under R-Adapter, "the loss is InfoNCE" for eps), or "" when it has one: the
// Studio's form greys such settings out, so the knobs that belong to each method are visible.
std::string settingUnusedReason(const std::string& key, const TrainConfig& c);

// One-line explanation and formula of each setting, for tooltips and `radapter train --help`.
const std::map<std::string, std::string>& settingHelp();
// The values of each setting with a fixed vocabulary (made from the same names applySetting
// reads), in the order a form offers them; a setting missing here takes free text.
const std::map<std::string, std::vector<std::string>>& settingChoices();

} // namespace ra
