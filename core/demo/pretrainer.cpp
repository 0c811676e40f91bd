#include "demo/pretrainer.h"

#include "clip/clipencoder_p.h"
#include "clip/tokenizer.h"
#include "platform/computedevice_p.h"
#include "data/dataset.h"
#include "demo/digitsshift.h"
#include "demo/fontcatalog.h"
#include "demo/glyphcorpus.h"
#include "eval/zeroshot.h"
#include "io/checkpoint.h"
#include "util/error.h"
#include "util/runtime.h"

#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adamw.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <unordered_map>

namespace F = torch::nn::functional;

namespace ra {

ClipConfig PretrainOptions::defaultConfig() { return ClipConfig::preset("glyph-tiny"); }

std::map<std::string, double> digitZeroShot(ClipEncoder& encoder, const std::string& dataDir,
                                            const std::vector<std::string>& splits)
{
    const FloatMatrix head = zeroShotHead(encoder, GlyphCorpus::digitWords(), GlyphCorpus::digitTemplates());
    std::map<std::string, double> out;
    for (const auto& split : splits) {
        const ImageDataset ds = loadImageDataset(dataDir + "/" + split);
        std::vector<int> labels;
        for (const auto& s : ds.samples) labels.push_back(std::stoi(ds.classNames[size_t(s.label)]));
        out[split] = classify(encodeDataset(encoder, ds, 512), head, labels).top1;
    }
    return out;
}

void pretrainGlyphClip(const PretrainOptions& o, const std::function<bool(const PretrainProgress&)>& progress)
{
    setThreadCount(o.threads);
    const ComputePrecision compute = resolvePrecisionOnDevice(o.precision);
    o.config.validate("pretrain");
    if (o.out.empty()) throw Error("pretrain: no output file given.");
    torch::manual_seed(o.seed);
    auto encoder = o.init.empty() ? ClipEncoder::random(o.config, o.seed) : ClipEncoder::load(o.init);
    ClipModel model = encoder->impl().model;
    const ClipConfig& config = encoder->config();
    if (o.init.empty()) {
        // CLIP-style initialisation of the learnable temperature: 1/0.07.
        torch::NoGradGuard g;
        model->logit_scale.fill_(std::log(1.0 / 0.07));
    }
    std::vector<torch::Tensor> decay, noDecay;
    for (const auto& p : model->named_parameters()) {
        p.value().set_requires_grad(true);
        (p.value().dim() >= 2 && p.key().find("embedding") == std::string::npos ? decay : noDecay).push_back(p.value());
    }
    torch::optim::AdamW optimizer(
        {torch::optim::OptimizerParamGroup(decay,
                                           std::make_unique<torch::optim::AdamWOptions>(
                                               torch::optim::AdamWOptions(o.learningRate).weight_decay(o.weightDecay))),
         torch::optim::OptimizerParamGroup(noDecay,
                                           std::make_unique<torch::optim::AdamWOptions>(
                                               torch::optim::AdamWOptions(o.learningRate).weight_decay(0.0)))},
        torch::optim::AdamWOptions(o.learningRate));

    const FontCatalog fonts = FontCatalog::scan(o.fontRoot);
    GlyphCorpus corpus(fonts.training, o.seed, config.imageResolution);
    const int res = config.imageResolution;
    std::unordered_map<std::string, std::vector<int64_t>> tokenCache;
    const auto start = std::chrono::steady_clock::now();
    const int warmup = std::max(1, o.steps / 20);
    for (int step = 0; step < o.steps; ++step) {
        auto images = torch::empty({o.batch, 3, res, res});
        auto tokens = torch::zeros({o.batch, config.contextLength}, torch::kInt64);
        std::vector<int64_t> labels;
        std::unordered_map<std::string, int64_t> captionIds;
        for (int i = 0; i < o.batch; ++i) {
            const CorpusSample s = corpus.sample(uint64_t(step) * uint64_t(o.batch) + uint64_t(i));
            const auto v = normaliseRgb(s.image.pixels, res, res);
            std::memcpy(images[i].data_ptr<float>(), v.data(), v.size() * sizeof(float));
            auto it = tokenCache.find(s.caption);
            if (it == tokenCache.end())
                it = tokenCache.emplace(s.caption, Tokenizer::instance().tokenize(s.caption, config.contextLength))
                         .first;
            std::memcpy(tokens[i].data_ptr<int64_t>(), it->second.data(), it->second.size() * sizeof(int64_t));
            labels.push_back(captionIds.emplace(s.caption, int64_t(captionIds.size())).first->second);
        }
        const double lr = step < warmup
            ? o.learningRate * (step + 1) / warmup
            : 0.5 * (1 + std::cos(M_PI * (step - warmup) / std::max(1, o.steps - warmup))) * o.learningRate;
        for (auto& group : optimizer.param_groups()) static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
        model->train();
        torch::Tensor loss;
        {
            torch::Tensor img, txt;
            {
                TrainingPrecisionScope precisionScope(compute);
                const torch::Device device = computeDevice();
                img = F::normalize(model->encodeImage(images.to(device)).to(torch::kFloat32),
                                   F::NormalizeFuncOptions().dim(1));
                txt = F::normalize(model->encodeText(tokens.to(device)).to(torch::kFloat32),
                                   F::NormalizeFuncOptions().dim(1));
            }
            auto lab = torch::tensor(labels, torch::kInt64).to(img.device());
            auto y = lab.view({-1, 1}).eq(lab.view({1, -1})).to(torch::kFloat32);
            auto q = y / y.sum(1, true);
            auto logits = model->logit_scale.exp() * torch::matmul(img, txt.t());
            loss = 0.5 *
                (-(q * torch::log_softmax(logits, 1)).sum(1).mean() -
                 (q * torch::log_softmax(logits.t(), 1)).sum(1).mean());
        }
        const double value = loss.item<double>();
        if (!std::isfinite(value))
            throw Error("pretrain: the loss became " + std::to_string(value) + " at step " + std::to_string(step + 1) +
                        ".");
        optimizer.zero_grad();
        loss.backward();
        torch::nn::utils::clip_grad_norm_(model->parameters(), 1.0);
        optimizer.step();
        {
            torch::NoGradGuard g;
            model->logit_scale.clamp_(0, std::log(100.0));
        }
        PretrainProgress p;
        p.step = step + 1;
        p.totalSteps = o.steps;
        p.loss = value;
        p.logitScale = model->logit_scale.exp().item<double>();
        p.elapsedSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (!o.evalData.empty() && (p.step % o.evalEvery == 0 || p.step == o.steps)) {
            model->eval();
            // The design halves only (ood-val): the test halves never steer pre-training.
            std::vector<std::string> splits = {"id/val"};
            for (const auto& set : oodSuiteSets()) splits.push_back("ood-val/" + set);
            p.zeroShot = digitZeroShot(*encoder, o.evalData, splits);
        }
        if (progress && !progress(p)) break;
    }
    std::map<std::string, torch::Tensor> tensors;
    for (const auto& p : model->named_parameters()) tensors[p.key()] = p.value().detach().to(torch::kHalf);
    tensors["logit_scale"] = model->logit_scale.detach().clone(); // keep the temperature exact
    writeOpenAiSafeTensors(o.out, tensors, config,
                           {{"radapter_pretrain_steps", std::to_string(o.steps)},
                            {"radapter_pretrain_seed", std::to_string(o.seed)},
                            {"radapter_pretrain_init", o.init.empty() ? std::string("random") : o.init}});
}

} // namespace ra
