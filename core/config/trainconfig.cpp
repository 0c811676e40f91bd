#include "config/trainconfig.h"

#include "eval/alphagrid.h"
#include "util/error.h"
#include "util/numbertext.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ra {
namespace {

double toDouble(const std::string& key, const std::string& v)
{
    if (const auto d = finiteNumberFrom(v)) return *d;
    // A German or French user types a decimal comma; say what to write instead.
    std::string pointed = v;
    std::replace(pointed.begin(), pointed.end(), ',', '.');
    if (pointed != v && finiteNumberFrom(pointed))
        throw Error("setting " + key + ": '" + v + "' is not a finite number (write a decimal point: " + pointed +
                    ").");
    throw Error("setting " + key + ": '" + v + "' is not a finite number.");
}

int toInt(const std::string& key, const std::string& v)
{
    if (const auto n = wholeNumberFrom(v); n && *n >= INT32_MIN && *n <= INT32_MAX) return static_cast<int>(*n);
    throw Error("setting " + key + ": '" + v + "' is not a whole number.");
}

bool toBool(const std::string& key, const std::string& v)
{
    if (v == "true" || v == "1" || v == "on" || v == "yes") return true;
    if (v == "false" || v == "0" || v == "off" || v == "no") return false;
    throw Error("setting " + key + ": '" + v + "' is not true or false.");
}

void requireRange(const std::string& key, double v, double lo, double hi, const char* why)
{
    if (v < lo || v > hi) {
        std::ostringstream s;
        s << "setting " << key << ": " << v << " is outside [" << lo << ", " << hi << "] (" << why << ").";
        throw Error(s.str());
    }
}

std::string fmt(double v)
{
    std::ostringstream s;
    s << v;
    return s.str();
}

} // namespace

const char* methodLabel(Method m)
{
    switch (m) {
    case Method::ZeroShot: return "zero-shot";
    case Method::LinearProbe: return "linear probe";
    case Method::FullFineTune: return "fine-tuning";
    case Method::WiseFt: return "WiSE-FT";
    case Method::Lora: return "LoRA";
    case Method::RAdapter: return "R-Adapter";
    }
    return "?";
}

const char* methodName(Method m)
{
    switch (m) {
    case Method::ZeroShot: return "zeroshot";
    case Method::LinearProbe: return "linear-probe";
    case Method::FullFineTune: return "finetune";
    case Method::WiseFt: return "wise-ft";
    case Method::Lora: return "lora";
    case Method::RAdapter: return "radapter";
    }
    return "?";
}

const char* lossName(LossKind k) { return k == LossKind::MpmNce ? "mpm-nce" : "infonce"; }
const char* scheduleName(bool cosine) { return cosine ? "cosine" : "constant"; }

Method methodFromName(const std::string& n)
{
    for (Method m :
         {Method::ZeroShot, Method::LinearProbe, Method::FullFineTune, Method::WiseFt, Method::Lora, Method::RAdapter})
        if (n == methodName(m)) return m;
    throw Error("unknown method '" + n + "' (zeroshot, linear-probe, finetune, wise-ft, lora, radapter).");
}

bool trainsClassificationHead(Method m)
{
    return m == Method::LinearProbe || m == Method::FullFineTune || m == Method::WiseFt;
}

std::string classificationHeadPath(const std::string& target, bool folder)
{
    if (folder) return target + "/classification_head.safetensors";
    const std::string suffix = ".safetensors";
    const bool named = target.size() > suffix.size() &&
        target.compare(target.size() - suffix.size(), suffix.size(), suffix) == 0;
    return (named ? target.substr(0, target.size() - suffix.size()) : target) + ".head.safetensors";
}

void TrainConfig::applySetting(const std::string& rawKey, const std::string& rawValue)
{
    // " steps = 5 " means steps=5: spaces around either side are never part of a setting.
    auto trim = [](const std::string& s) {
        const auto b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
        return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    const std::string key = trim(rawKey), v = trim(rawValue);
    if (key == "method") method = methodFromName(v);
    else if (key == "steps") {
        steps = toInt(key, v);
        requireRange(key, steps, 0, 1e8, "number of optimiser steps");
    } else if (key == "batch") {
        batchSize = toInt(key, v);
        requireRange(key, batchSize, 2, 65536, "a contrastive batch needs at least 2 pairs");
    } else if (key == "lr") {
        learningRate = toDouble(key, v);
        requireRange(key, learningRate, 1e-9, 1.0, "learning rate");
    } else if (key == "wd") {
        weightDecay = toDouble(key, v);
        requireRange(key, weightDecay, 0, 10, "weight decay");
    } else if (key == "epochs") {
        epochs = toDouble(key, v);
        requireRange(key, epochs, 0, 1e6, "0 means use steps");
    } else if (key == "schedule") {
        if (v == scheduleName(true)) cosineSchedule = true;
        else if (v == scheduleName(false)) cosineSchedule = false;
        else throw Error("setting schedule: '" + v + "' is not cosine or constant.");
    } else if (key == "warmup") {
        warmupSteps = toInt(key, v);
        requireRange(key, warmupSteps, -1, 1e8, "-1 means automatic");
    } else if (key == "clip") {
        gradClip = toDouble(key, v);
        requireRange(key, gradClip, 0, 1e6, "0 disables clipping");
    } else if (key == "crop_min") {
        cropScaleMin = toDouble(key, v);
        requireRange(key, cropScaleMin, 0.05, 1.0, "fraction of the image area");
    } else if (key == "crop_max") {
        cropScaleMax = toDouble(key, v);
        requireRange(key, cropScaleMax, 0.05, 1.0, "fraction of the image area");
    } else if (key == "p") {
        adapter.dropProbability = toDouble(key, v);
        requireRange(key, adapter.dropProbability, 0, 0.95, "adapter dropping probability");
    } else if (key == "granularity") adapter.granularity = granularityFromName(v);
    else if (key == "rank") {
        adapter.rank = toInt(key, v);
        requireRange(key, adapter.rank, 0, 1e5, "0 means full rank");
    } else if (key == "gate_init") {
        adapter.gateInit = toDouble(key, v);
        requireRange(key, adapter.gateInit, -10, 10, "initial gate s");
    } else if (key == "vision_adapters") adapter.vision = toBool(key, v);
    else if (key == "text_adapters") adapter.text = toBool(key, v);
    else if (key == "ema") {
        emaMomentum = toDouble(key, v);
        requireRange(key, emaMomentum, 0, 0.999999, "EMA momentum m");
    } else if (key == "use_ema") useEma = toBool(key, v);
    else if (key == "loss") {
        if (v == lossName(LossKind::MpmNce)) loss = LossKind::MpmNce;
        else if (v == lossName(LossKind::InfoNce)) loss = LossKind::InfoNce;
        else throw Error("setting loss: '" + v + "' is not mpm-nce or infonce.");
    } else if (key == "eps") {
        epsilon = toDouble(key, v);
        requireRange(key, epsilon, 0, 0.999, "label smoothing");
    } else if (key == "delta") {
        margin = toDouble(key, v);
        requireRange(key, margin, 0, 2, "cosine margin");
    } else if (key == "temperature") {
        temperature = toDouble(key, v);
        requireRange(key, temperature, 1e-4, 10, "softmax temperature");
    } else if (key == "alpha") {
        alpha = toDouble(key, v);
        if (alpha != -1)
            requireRange(key, alpha, kMinAlpha, kMaxAlpha, "re-scaling coefficient; -1 for the method's default");
    } else if (key == "lora_rank") {
        loraRank = toInt(key, v);
        requireRange(key, loraRank, 1, 4096, "LoRA rank");
    } else if (key == "precision") {
        precision = precisionFromName(v, "setting precision");
    } else if (key == "threads") {
        threads = toInt(key, v);
        requireRange(key, threads, 0, 1024, "0 means all cores");
    } else if (key == "seed") {
        const double s = toDouble(key, v);
        requireRange(key, s, 0, 9e15, "seed");
        seed = static_cast<uint64_t>(s);
    } else if (key == "eval_every") {
        evalEvery = toInt(key, v);
        requireRange(key, evalEvery, 0, 1e8, "0 evaluates only at the end");
    } else if (key == "eval_limit") {
        evalLimit = toInt(key, v);
        requireRange(key, evalLimit, 0, 1e9, "0 evaluates every image");
    } else if (key == "checkpoint_every") {
        checkpointEvery = toInt(key, v);
        requireRange(key, checkpointEvery, 0, 1e8, "0 saves only at the end");
    } else if (key == "early_stop_patience") {
        earlyStopPatience = toInt(key, v);
        requireRange(key, earlyStopPatience, 0, 1e6, "0 never stops early");
    } else if (key == "early_stop_min_delta") {
        earlyStopMinDelta = toDouble(key, v);
        requireRange(key, earlyStopMinDelta, 0, 100, "accuracy points");
    } else throw Error("unknown setting '" + key + "'.");
}

std::map<std::string, std::string> TrainConfig::toParams() const
{
    return {{"method", methodName(method)},
            {"steps", std::to_string(steps)},
            {"epochs", fmt(epochs)},
            {"schedule", scheduleName(cosineSchedule)},
            {"batch", std::to_string(batchSize)},
            {"lr", fmt(learningRate)},
            {"wd", fmt(weightDecay)},
            {"warmup", std::to_string(warmupSteps)},
            {"clip", fmt(gradClip)},
            {"crop_min", fmt(cropScaleMin)},
            {"crop_max", fmt(cropScaleMax)},
            {"p", fmt(adapter.dropProbability)},
            {"granularity", granularityName(adapter.granularity)},
            {"rank", std::to_string(adapter.rank)},
            {"gate_init", fmt(adapter.gateInit)},
            {"vision_adapters", adapter.vision ? "true" : "false"},
            {"text_adapters", adapter.text ? "true" : "false"},
            {"ema", fmt(emaMomentum)},
            {"use_ema", useEma ? "true" : "false"},
            {"loss", lossName(loss)},
            {"eps", fmt(epsilon)},
            {"delta", fmt(margin)},
            {"temperature", fmt(temperature)},
            {"alpha", fmt(alpha)},
            {"lora_rank", std::to_string(loraRank)},
            {"precision", precisionName(precision)},
            {"threads", std::to_string(threads)},
            {"seed", std::to_string(seed)},
            {"eval_every", std::to_string(evalEvery)},
            {"checkpoint_every", std::to_string(checkpointEvery)},
            {"eval_limit", std::to_string(evalLimit)},
            {"early_stop_patience", std::to_string(earlyStopPatience)},
            {"early_stop_min_delta", fmt(earlyStopMinDelta)}};
}

void TrainConfig::validate() const
{
    if (cropScaleMin > cropScaleMax) throw Error("settings crop_min and crop_max: the minimum is above the maximum.");
    if (method == Method::RAdapter && !adapter.vision && !adapter.text)
        throw Error("settings vision_adapters and text_adapters: R-Adapter needs adapters in at least one tower.");
    if (trains() && steps < 1 && epochs <= 0) throw Error("setting steps: a training method needs at least one step.");
    if (earlyStopPatience > 0 && evalEvery == 0)
        throw Error("setting early_stop_patience counts periodic evaluations: set eval_every above 0.");
}

const std::map<std::string, std::vector<std::string>>& settingChoices()
{
    static const std::map<std::string, std::vector<std::string>> choices = [] {
        const std::vector<std::string> yesNo = {"true", "false"};
        std::map<std::string, std::vector<std::string>> c;
        // The paper's method first, then the baselines from most to least trained.
        for (Method m : {Method::RAdapter, Method::FullFineTune, Method::WiseFt, Method::Lora, Method::LinearProbe,
                         Method::ZeroShot})
            c["method"].push_back(methodName(m));
        c["schedule"] = {scheduleName(true), scheduleName(false)};
        for (DropGranularity g : {DropGranularity::Sample, DropGranularity::Batch, DropGranularity::Token})
            c["granularity"].push_back(granularityName(g));
        c["loss"] = {lossName(LossKind::MpmNce), lossName(LossKind::InfoNce)};
        for (Precision p : {Precision::Auto, Precision::Fp32, Precision::Bf16})
            c["precision"].push_back(precisionName(p));
        c["use_ema"] = c["vision_adapters"] = c["text_adapters"] = yesNo;
        return c;
    }();
    return choices;
}

std::string settingUnusedReason(const std::string& key, const TrainConfig& c)
{
    const auto among = [&](std::initializer_list<const char*> keys) {
        return std::any_of(keys.begin(), keys.end(), [&](const char* k) { return key == k; });
    };
    if (key == "method") return {};
    if (c.method == Method::ZeroShot)
        return among({"precision", "threads", "eval_limit"}) ? std::string() : "zero-shot trains nothing";
    if (among({"p", "granularity", "rank", "gate_init", "vision_adapters", "text_adapters", "ema", "use_ema"}) &&
        c.method != Method::RAdapter)
        return "R-Adapter only";
    if (key == "ema" && !c.useEma) return "use_ema is false";
    if (key == "lora_rank" && c.method != Method::Lora) return "LoRA only";
    // The head-tuning methods (linear probe, fine-tuning, WiSE-FT) train with cross-entropy;
    // R-Adapter and LoRA with the contrastive loss (train/trainingmethod.cpp).
    const bool contrastive = c.method == Method::RAdapter || c.method == Method::Lora;
    if (among({"loss", "eps", "delta"}) && !contrastive)
        return std::string(methodLabel(c.method)) + " trains with cross-entropy";
    if (among({"eps", "delta"}) && c.loss != LossKind::MpmNce) return "the loss is InfoNCE";
    if (key == "steps" && c.epochs > 0) return "epochs > 0 sets the steps";
    if (key == "early_stop_min_delta" && c.earlyStopPatience == 0) return "early stopping is off";
    return {};
}

const std::map<std::string, std::string>& settingHelp()
{
    static const std::map<std::string, std::string> help = {
        {"method",
         "What to train: zeroshot, linear-probe, finetune (image tower + zero-shot head, cross-entropy), wise-ft "
         "(finetune evaluated at theta0 + alpha (theta1 - theta0)), lora, radapter."},
        {"steps", "Optimiser steps (each one batch)."},
        {"epochs",
         "Passes over the training set: when > 0, steps = ceil(epochs x training pairs / batch) and the steps setting "
         "is ignored."},
        {"schedule", "Learning rate after warm-up: cosine lr_t = 0.5 (1 + cos(pi t/T)) lr, or constant lr."},
        {"batch", "Image-caption pairs per step; MPM-NCE treats same-class pairs in the batch as positives."},
        {"lr",
         "AdamW peak learning rate; R-Adapter's gate s (0.1) scales updates, so short runs need a larger lr (3e-3)."},
        {"wd", "AdamW weight decay (the paper uses 0)."},
        {"warmup", "Linear warm-up steps: lr_t = lr (t+1)/warmup, then the schedule. -1: min(500, steps/10)."},
        {"clip", "Gradient clipping: rescale so that ||g||_2 <= clip (0 disables)."},
        {"crop_min", "RandomResizedCrop: smallest fraction of the image area kept (paper: 0.9)."},
        {"crop_max", "RandomResizedCrop: largest fraction of the image area kept (1.0)."},
        {"p",
         "Adapter dropping: each adapter is skipped with probability p during training, kept ones scaled by 1/(1-p): h "
         "+ s (m/(1-p)) F h, m ~ Bernoulli(1-p)."},
        {"granularity",
         "What one dropping draw covers: sample (each sample its own sub-network), batch (the whole batch), token "
         "(each token position, as the official code)."},
        {"rank",
         "Adapter rank r: 0 or r >= d gives a full d x d matrix F; r < d gives F = B A with A (r x d), B (d x r)."},
        {"gate_init", "Initial value of the learnable gate s in h + s F h (official code: 0.1)."},
        {"vision_adapters", "Put adapters in the image tower."},
        {"text_adapters", "Put adapters in the text tower."},
        {"ema",
         "EMA momentum m: W_ema <- m W_ema + (1-m) W after every step. Over T steps the start weight keeps m^T; scale "
         "m with run length (0.99 for a few hundred steps)."},
        {"use_ema", "Evaluate and export the EMA copy (the temporal ensemble) instead of the live adapters."},
        {"loss", "mpm-nce (multi-positive, label smoothing eps, margin delta) or infonce (diagonal positives only)."},
        {"eps", "MPM-NCE label smoothing: target (1-eps)/P on the P positives of a row, eps/(N-P) on its negatives."},
        {"delta", "MPM-NCE additive cosine margin on negatives: logit = (cos + delta [negative]) / temperature."},
        {"temperature", "Softmax temperature tau: logits = cos / tau (paper: 0.01, i.e. scale 100)."},
        {"alpha",
         "Re-scaling: W = W0 (I + alpha s F) folds the adapters in at strength alpha; 0 is zero-shot, 1 the fine-tuned "
         "model."},
        {"lora_rank", "LoRA rank r on the attention projections: W_q,v += B A."},
        {"precision",
         "auto (bf16 where the CPU multiplies bf16 natively: AVX512-BF16 or AMX; fp32 elsewhere), fp32, or bf16 matrix "
         "products (CPU autocast) with fp32 master weights; bf16 without native support runs, slower than fp32."},
        {"threads", "CPU threads for libtorch (0: all cores)."},
        {"seed",
         "Seed for data order, augmentation, dropping and initialisation; same seed and threads give the same run."},
        {"eval_every", "Evaluate ID and every OOD set every N steps (0: only at the end)."},
        {"checkpoint_every", "Save a resumable checkpoint every N steps (0: only at the end)."},
        {"eval_limit",
         "Evaluate on at most N images per set, evenly spaced through it (0: all) — faster curves for large sets."},
        {"early_stop_patience",
         "Stop training after N periodic evaluations in a row without a gain on the ID validation set, and keep the "
         "weights of the best evaluation (0: never stop early; needs a val set and eval_every > 0)."},
        {"early_stop_min_delta",
         "The smallest gain of ID validation accuracy, in points (0.5 = half a point), that counts as better for "
         "early stopping."}};
    return help;
}

} // namespace ra
