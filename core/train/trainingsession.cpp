#include "train/trainingsession.h"

#include "clip/clipencoder_p.h"
#include "clip/imagepreprocess.h"
#include "clip/tokenizer.h"
#include "data/captions.h"
#include "data/templates.h"
#include "io/checkpoint.h"
#include "io/safetensors.h"
#include "io/atomicfile.h"
#include "platform/computedevice_p.h"
#include "train/epochsampler.h"
#include "adapt/adapterset.h"
#include "dist/collective.h"
#include "train/trainingmethod.h"
#include "util/error.h"
#include "util/numbertext.h"
#include "util/runtime.h"

#include <nlohmann/json.hpp>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adamw.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <random>

namespace F = torch::nn::functional;
namespace fs = std::filesystem;

namespace ra {

namespace {

// torchvision RandomResizedCrop.get_params (scale range, ratio 3/4..4/3): the crop of a WIDTH x
// HEIGHT image.
struct CropBox {
    int left = 0, top = 0, width = 0, height = 0;
};
CropBox randomCropBox(int width, int height, double scaleMin, double scaleMax, std::mt19937_64& rng)
{
    const double area = double(width) * height;
    std::uniform_real_distribution<double> scaleDist(scaleMin, scaleMax),
        logRatio(std::log(3.0 / 4.0), std::log(4.0 / 3.0));
    for (int attempt = 0; attempt < 10; ++attempt) {
        const double target = area * scaleDist(rng);
        const double aspect = std::exp(logRatio(rng));
        const int w = int(std::lround(std::sqrt(target * aspect)));
        const int h = int(std::lround(std::sqrt(target / aspect)));
        if (w > 0 && h > 0 && w <= width && h <= height) {
            const int top = std::uniform_int_distribution<int>(0, height - h)(rng);
            const int left = std::uniform_int_distribution<int>(0, width - w)(rng);
            return {left, top, w, h};
        }
    }
    // Fallback: the whole image, centre-cropped to a square.
    const int side = std::min(width, height);
    return {(width - side) / 2, (height - side) / 2, side, side};
}

// The crop, resized to SIZE x SIZE with Pillow's bicubic filter.
DecodedImage cropAndResize(const DecodedImage& img, const CropBox& box, int size)
{
    return resizeBicubic(crop(img, box.left, box.top, box.width, box.height), size, size);
}

double cosineLr(const TrainConfig& c, int step)
{
    const int warmup = c.effectiveWarmup();
    if (step < warmup) return c.learningRate * (step + 1) / warmup;
    if (!c.cosineSchedule) return c.learningRate;
    const int e = step - warmup, es = std::max(1, c.steps - warmup);
    return 0.5 * (1.0 + std::cos(M_PI * e / es)) * c.learningRate;
}

// The rows ROWS of M, in that order: a classification head cut to an OOD set's classes.
FloatMatrix selectRows(const FloatMatrix& m, const std::vector<int64_t>& rows)
{
    FloatMatrix out;
    out.rows = int64_t(rows.size());
    out.cols = m.cols;
    out.data.reserve(size_t(out.rows * out.cols));
    for (const int64_t r : rows) out.data.insert(out.data.end(), m.row(r), m.row(r) + m.cols);
    return out;
}

} // namespace

std::map<std::string, double> EvalResult::metrics() const
{
    if (!isRetrieval) return {{"top1", classification.top1}, {"top5", classification.top5}};
    const auto& r = retrieval;
    return {{"r1_i2t", r.imageToText[0]}, {"r5_i2t", r.imageToText[1]}, {"r10_i2t", r.imageToText[2]},
            {"r1_t2i", r.textToImage[0]}, {"r5_t2i", r.textToImage[1]}, {"r10_t2i", r.textToImage[2]}};
}

struct TrainingSession::Impl {
    Project project;
    TrainConfig config;
    ComputePrecision computePrecision = ComputePrecision::Fp32; // config.precision on this CPU
    std::unique_ptr<ClipEncoder> encoder;
    ClipModel model{nullptr};
    std::map<std::string, ImageDataset> datasets;      // "train", "val", "test", OOD names (classification)
    std::map<std::string, CaptionDataset> captionSets; // the same names (retrieval)
    bool retrieval = false;
    std::map<std::string, DecodedImage> decodedByPath;
    std::vector<std::string> evalNames;
    std::vector<std::string> classNames;
    // OOD sets that hold a subset of the training classes: the head's rows of their classes, in
    // their own class order (matchClasses).
    std::map<std::string, std::vector<int64_t>> subsetRows;
    std::map<std::string, torch::Tensor> evalImages; // preprocessed, cached (encodeImagesOf)
    int64_t evalImagesBytes = 0, evalImagesLimit = int64_t(1) << 30;
    std::unique_ptr<TrainingMethod> method; // everything that differs between methods
    std::unique_ptr<torch::optim::AdamW> optimizer;
    std::vector<torch::Tensor> trainable; // method->parameters(), in the optimiser's order
    std::map<std::string, std::vector<int64_t>> captionTokens;
    int step = 0;
    std::unique_ptr<EpochSampler> sampler;  // made at the first step, when the set size is known
    std::shared_ptr<Collective> collective; // data-parallel runs: this rank's process group
    bool shardEvaluation = false;           // with a collective: see encodeImagesOf
    std::function<bool()> shouldStop;       // setStopCheck: asked between steps, chunks and sets
    // The weights' version, bumped whenever the trained state changes, and the results computed
    // for it, by alpha: a run's last-step evaluation, its recorded final metrics and a sweep's
    // point at the run's alpha are one computation, not three (the demo's sets take seconds).
    uint64_t weightsVersion = 0;
    struct {
        uint64_t weights = ~uint64_t(0);
        std::map<double, std::map<std::string, EvalResult>> byAlpha;
    } evalCache;
    // Early stopping (early_stop_patience): the best ID-validation accuracy so far at the run's
    // alpha, its step, the evaluations since then, and a copy of the trained state it was measured
    // on (empty once restored). Checkpoints carry it, so a resumed run stops where it would have.
    struct {
        double accuracy = -1;
        int step = 0; // 0: no evaluation yet
        int evaluationsSince = 0;
        std::map<std::string, torch::Tensor> state;
    } best;

    // Takes the evaluation at the current step into account; true when patience has run out.
    bool earlyStopAfter(double valAccuracy)
    {
        if (best.step == 0 || 100 * (valAccuracy - best.accuracy) > config.earlyStopMinDelta) {
            best.accuracy = valAccuracy;
            best.step = step;
            best.evaluationsSince = 0;
            best.state.clear();
            for (const auto& [name, t] : method->state()) best.state[name] = t.detach().clone();
            return false;
        }
        return ++best.evaluationsSince >= config.earlyStopPatience;
    }

    // The run ends on the weights of its best evaluation; returns false when those are the
    // current ones already.
    bool restoreBest()
    {
        if (best.step == step || best.state.empty()) return false;
        ++weightsVersion;
        {
            torch::NoGradGuard g;
            method->loadState(best.state);
        }
        ++weightsVersion;
        best.state.clear();
        return true;
    }

    void checkStop() const
    {
        if (shouldStop && shouldStop()) throw Cancelled();
    }

    double logitScale() const { return 1.0 / config.temperature; }

    // Data-parallel: the gradients are summed over the ranks in buckets while backward runs. A
    // tensor hook on each trainable tensor hands its gradient over as backward produces it (the
    // last layers' first), and a bucket's all-reduce starts once all of its gradients are there
    // and every earlier bucket has started: the buckets start in one fixed order on every rank,
    // whatever order backward produced them in, as the ranks' collectives must match. Buckets a
    // step left incomplete (a tensor without a gradient counts as zeros) start after backward.
    struct GradientReducer {
        Collective* collective = nullptr;
        std::vector<std::vector<size_t>> members; // trainable indices per bucket, in launch order
        std::vector<size_t> bucketOf;             // trainable index -> bucket
        std::vector<torch::Tensor> grads;         // this step's gradients as backward produced them
        std::vector<size_t> missing;              // per bucket: gradients not produced yet
        std::vector<std::unique_ptr<Collective::PendingSum>> pending;
        size_t launched = 0; // buckets [0, launched) have started
        bool active = false; // only inside trainStep's backward

        void launchReady()
        {
            while (launched < members.size() && missing[launched] == 0) {
                std::vector<torch::Tensor> parts;
                for (size_t i : members[launched]) parts.push_back(grads[i]);
                pending[launched] = collective->startAllReduceSum(std::move(parts));
                ++launched;
            }
        }
        void gradientReady(size_t i, const torch::Tensor& g)
        {
            if (!active || grads[i].defined()) return;
            grads[i] = g.detach().clone(); // autograd may still accumulate into its own tensor
            --missing[bucketOf[i]];
            launchReady();
        }
    };
    std::unique_ptr<GradientReducer> reducer;

    void setUpReducer()
    {
        reducer = std::make_unique<GradientReducer>();
        reducer->collective = collective.get();
        // Backward meets the last tensors first; 4 MB buckets are small enough to overlap and large
        // enough to be few.
        const std::vector<torch::Tensor> lastFirst(trainable.rbegin(), trainable.rend());
        reducer->bucketOf.assign(trainable.size(), 0);
        for (const auto& bucket : Collective::buckets(lastFirst, int64_t(4) << 20)) {
            reducer->members.emplace_back();
            for (size_t i : bucket) {
                const size_t k = trainable.size() - 1 - i;
                reducer->members.back().push_back(k);
                reducer->bucketOf[k] = reducer->members.size() - 1;
            }
        }
        GradientReducer* r = reducer.get();
        for (size_t k = 0; k < trainable.size(); ++k)
            trainable[k].register_hook([r, k](const torch::Tensor& g) { r->gradientReady(k, g); });
    }

    // Backward of LOSS with every trainable gradient summed over the ranks.
    void backwardAllReduced(const torch::Tensor& loss)
    {
        if (!reducer) setUpReducer();
        GradientReducer& r = *reducer;
        r.grads.assign(trainable.size(), torch::Tensor());
        r.missing.clear();
        for (const auto& m : r.members) r.missing.push_back(m.size());
        r.pending.clear();
        r.pending.resize(r.members.size());
        r.launched = 0;
        r.active = true;
        try {
            loss.backward();
        } catch (...) {
            r.active = false;
            throw;
        }
        r.active = false;
        for (size_t k = 0; k < trainable.size(); ++k)
            if (!r.grads[k].defined()) {
                r.grads[k] = torch::zeros_like(trainable[k]);
                --r.missing[r.bucketOf[k]];
            }
        r.launchReady();
        for (auto& p : r.pending) p->finish();
        for (size_t k = 0; k < trainable.size(); ++k) trainable[k].mutable_grad() = r.grads[k];
    }

    // Whether any rank of the data-parallel run says YES.
    bool anyRank(bool yes)
    {
        std::vector<torch::Tensor> votes = {torch::full({1}, yes ? 1.0f : 0.0f)};
        collective->allReduceSum(votes);
        return votes[0].item<float>() > 0;
    }

    // A set with as many classes as the training set names them in the same order (by position,
    // so a CSV's numeric labels or renamed folders still work). An OOD set may hold fewer, named as
    // training classes are (their folder names or CSV labels): ImageNet-R and -A cover 200 of
    // ImageNet's 1,000 classes. It is then scored among its own classes only, as those
    // benchmarks are, through subsetRows.
    void matchClasses(const std::string& name, const ImageDataset& ds)
    {
        const std::vector<std::string>& trainNames = datasets.at("train").classNames;
        if (ds.classNames.size() == trainNames.size()) return;
        std::vector<int64_t> rows;
        std::string unknown;
        for (const auto& c : ds.classNames) {
            const auto it = std::find(trainNames.begin(), trainNames.end(), c);
            if (it != trainNames.end()) rows.push_back(it - trainNames.begin());
            else if (unknown.size() < 60) unknown += (unknown.empty() ? "'" : ", '") + c + "'";
        }
        const bool ood = name != "train" && name != "val" && name != "test";
        if (!ood || rows.size() != ds.classNames.size())
            throw Error(ds.source + ": has " + std::to_string(ds.classNames.size()) +
                        " classes but the training set has " + std::to_string(trainNames.size()) +
                        (ood ? "; an OOD set may hold fewer, named as the training set's are, but " + unknown +
                                 " is not one of them"
                             : std::string()) +
                        ".");
        subsetRows[name] = std::move(rows);
    }

    // eval_limit: evenly spaced subsets of an evaluation set (class folders are contiguous, so
    // every class keeps its share). The training set is never cut.
    void cutToEvalLimit(ImageDataset& ds) const
    {
        const size_t limit = size_t(std::max(0, config.evalLimit));
        if (limit == 0 || ds.samples.size() <= limit) return;
        std::vector<ImageSample> kept;
        for (size_t i = 0; i < limit; ++i) kept.push_back(ds.samples[i * ds.samples.size() / limit]);
        ds.samples = std::move(kept);
    }
    void cutToEvalLimit(CaptionDataset& ds) const
    {
        const size_t limit = size_t(std::max(0, config.evalLimit));
        if (limit == 0 || ds.images.size() <= limit) return;
        CaptionDataset cut;
        cut.source = ds.source;
        cut.images.assign(ds.images.begin(), ds.images.begin() + long(limit));
        for (size_t t = 0; t < ds.captions.size(); ++t)
            if (size_t(ds.captionImage[t]) < limit) {
                cut.captions.push_back(ds.captions[t]);
                cut.captionImage.push_back(ds.captionImage[t]);
            }
        ds = std::move(cut);
    }

    const std::vector<int64_t>& tokensFor(const std::string& caption)
    {
        auto it = captionTokens.find(caption);
        if (it != captionTokens.end()) return it->second;
        return captionTokens[caption] = Tokenizer::instance().tokenize(caption, model->config.contextLength);
    }

    const DecodedImage& imageByPath(const std::string& path)
    {
        auto it = decodedByPath.find(path);
        if (it != decodedByPath.end()) return it->second;
        DecodedImage img = decodeImage(path);
        if (decodedByPath.size() < 200000 && img.pixels.size() < 64 * 64 * 4)
            return decodedByPath[path] = std::move(img);
        static thread_local DecodedImage scratch;
        scratch = std::move(img);
        return scratch;
    }

    torch::Tensor zeroShotHeadTensor()
    {
        const FloatMatrix h = zeroShotHead(*encoder, classNames, project.templates);
        return torch::from_blob(const_cast<float*>(h.data.data()), {h.rows, h.cols}).clone().to(computeDevice());
    }

    void setUpMethod()
    {
        for (auto& p : model->parameters()) p.set_requires_grad(false);
        method = makeTrainingMethod({model, config, [this] { return zeroShotHeadTensor(); }});
        trainable = method->parameters();
        if (!trainable.empty())
            optimizer = std::make_unique<torch::optim::AdamW>(
                trainable, torch::optim::AdamWOptions(config.learningRate).weight_decay(config.weightDecay));
    }

    // Applies the trained state at ALPHA; the returned guard restores the trained state.
    struct AlphaGuard {
        TrainingMethod* method;
        ~AlphaGuard()
        {
            torch::NoGradGuard g;
            method->revertAlpha();
        }
    };
    std::unique_ptr<AlphaGuard> applyAlpha(double alpha)
    {
        auto guard = std::make_unique<AlphaGuard>(AlphaGuard{method.get()}); // reverts a partial apply too
        {
            torch::NoGradGuard g;
            method->applyAlpha(alpha);
        }
        model->eval();
        return guard;
    }

    std::vector<std::string> evalPaths(const std::string& name) const
    {
        if (retrieval) return captionSets.at(name).images;
        std::vector<std::string> paths;
        for (const auto& s : datasets.at(name).samples) paths.push_back(s.path);
        return paths;
    }

    // Images FIRST..LAST of PATHS, decoded and preprocessed.
    torch::Tensor preprocessImages(const std::vector<std::string>& paths, int64_t first, int64_t last)
    {
        const int r = model->config.imageResolution;
        auto t = torch::empty({last - first, 3, r, r});
        for (int64_t i = first; i < last; ++i) {
            if ((i - first) % 64 == 0) checkStop(); // decoding a large set takes seconds
            const auto v = clipPreprocess(decodeImage(paths[size_t(i)]), r);
            std::memcpy(t[i - first].data_ptr<float>(), v.data(), v.size() * sizeof(float));
        }
        return t;
    }

    // The image features (not normalised) of images FROM..TO of PATHS, taken from PREPROCESSED
    // (all of PATHS, preprocessed) when given, else decoded here chunk by chunk.
    torch::Tensor encodeImages(const std::vector<std::string>& paths, int64_t from, int64_t to,
                               const torch::Tensor* preprocessed)
    {
        std::vector<torch::Tensor> feats;
        // Chunks of 64: small models run fastest there (their activations stay in cache), and a
        // stop request waits for one chunk at most.
        constexpr int64_t kChunk = 64;
        const torch::Device device = computeDevice();
        for (int64_t b = from; b < to; b += kChunk) {
            checkStop();
            const int64_t e = std::min(to, b + kChunk);
            const torch::Tensor images = preprocessed ? preprocessed->slice(0, b, e) : preprocessImages(paths, b, e);
            feats.push_back(model->encodeImage(images.to(device)));
        }
        return feats.empty() ? torch::empty({0, model->config.embedDim}, torch::TensorOptions().device(device))
                             : torch::cat(feats);
    }

    torch::Tensor encodeImagesOf(const std::string& name)
    {
        // A set's preprocessed images stay in memory while every cached set together fits in
        // evalImagesLimit (the demo's sets, a few MB, are evaluated at some 27 alphas); a larger
        // set is decoded chunk by chunk at each evaluation, so an ImageNet-sized one (50,000
        // images at 224 px are 30 GB as one tensor) never has to fit in memory.
        const std::vector<std::string> paths = evalPaths(name);
        const int64_t n = int64_t(paths.size());
        const int64_t side = model->config.imageResolution, bytes = n * 3 * side * side * int64_t(sizeof(float));
        auto cached = evalImages.find(name);
        if (cached == evalImages.end() && evalImagesBytes + bytes <= evalImagesLimit) {
            cached = evalImages.emplace(name, preprocessImages(paths, 0, n)).first;
            evalImagesBytes += bytes;
        }
        // Inside a data-parallel run's training every rank evaluates together: each encodes an
        // equal share of the set (the last share padded) and the features are gathered, so every
        // rank holds the whole set's features and computes the same metrics.
        const bool sharded = shardEvaluation && collective && collective->worldSize() > 1;
        const int64_t share = sharded ? (n + collective->worldSize() - 1) / collective->worldSize() : n;
        const int64_t from = sharded ? std::min(n, share * collective->rank()) : 0;
        const int64_t to = std::min(n, from + share);
        torch::Tensor f = encodeImages(paths, from, to, cached != evalImages.end() ? &cached->second : nullptr);
        if (sharded) {
            f = torch::cat({f, torch::zeros({share - f.size(0), f.size(1)}, f.options())});
            f = collective->allGather(f).reshape({-1, f.size(1)}).slice(0, 0, n);
        }
        return F::normalize(f, F::NormalizeFuncOptions().dim(1));
    }

    // The results for SETS (empty: every evaluation set) at ALPHA, from the cache where it has
    // them for the current weights.
    std::map<std::string, EvalResult> evaluate(double alpha, const std::vector<std::string>& sets)
    {
        if (evalCache.weights != weightsVersion) {
            evalCache.weights = weightsVersion;
            evalCache.byAlpha.clear();
        }
        auto& cached = evalCache.byAlpha[alpha];
        const std::vector<std::string>& wanted = sets.empty() ? evalNames : sets;
        std::vector<std::string> missing;
        for (const auto& name : wanted)
            if (!cached.count(name)) missing.push_back(name);
        if (!missing.empty())
            for (auto& [name, r] : computeEvaluation(alpha, missing)) cached[name] = std::move(r);
        std::map<std::string, EvalResult> out;
        for (const auto& name : wanted) out[name] = cached.at(name);
        return out;
    }

    // Caption embeddings, normalised, with each distinct text encoded once: a text repeated in a
    // caption set (digit, colour and template recur) then gets the very same row every time, so
    // ties between copies favour the correct one as recallAtK intends, instead of being broken by
    // rounding that differs with a text's place in its batch (which made image-to-text R@1 jump by
    // several points between neighbouring alphas on the demo's captioned digits).
    FloatMatrix captionEmbeddings(const std::vector<std::string>& captions)
    {
        std::map<std::string, int64_t> row;
        std::vector<std::string> distinct;
        for (const std::string& c : captions)
            if (row.emplace(c, int64_t(distinct.size())).second) distinct.push_back(c);
        FloatMatrix raw = encoder->encodeTexts(distinct);
        const FloatMatrix encoded = toMatrix(
            F::normalize(torch::from_blob(raw.data.data(), {raw.rows, raw.cols}), F::NormalizeFuncOptions().dim(1)));
        FloatMatrix out{int64_t(captions.size()), encoded.cols, {}};
        out.data.reserve(size_t(out.rows * out.cols));
        for (const std::string& c : captions) {
            const float* r = encoded.row(row.at(c));
            out.data.insert(out.data.end(), r, r + encoded.cols);
        }
        return out;
    }

    std::map<std::string, EvalResult> computeEvaluation(double alpha, const std::vector<std::string>& sets)
    {
        auto guard = applyAlpha(alpha);
        c10::InferenceMode inference;
        std::map<std::string, EvalResult> out;
        if (retrieval) {
            for (const auto& name : sets) {
                checkStop();
                if (!captionSets.count(name)) throw Error("no evaluation set named '" + name + "' in this project.");
                const auto& ds = captionSets.at(name);
                EvalResult r;
                r.isRetrieval = true;
                r.retrieval = recallAtK(toMatrix(encodeImagesOf(name)), captionEmbeddings(ds.captions),
                                        ds.captionImage);
                out[name] = r;
            }
            return out;
        }
        const FloatMatrix head = evaluationHeadMatrix();
        for (const auto& name : sets) {
            std::vector<int> labels;
            for (const auto& s : datasetNamed(name).samples) labels.push_back(s.label);
            EvalResult r;
            r.classification = classify(toMatrix(encodeImagesOf(name)), headOf(name, head), labels);
            out[name] = r;
        }
        return out;
    }

    const ImageDataset& datasetNamed(const std::string& name) const
    {
        if (!datasets.count(name)) throw Error("no evaluation set named '" + name + "' in this project.");
        return datasets.at(name);
    }

    // The normalised head evaluation ranks classes by at the applied alpha: a trained head's rows
    // (they carry the logit scale, which does not change a ranking), or the zero-shot head of the
    // text tower as it is now.
    FloatMatrix evaluationHeadMatrix()
    {
        const torch::Tensor head = method->evaluationHead();
        return head.defined() ? toMatrix(head) : zeroShotHead(*encoder, classNames, project.templates);
    }
    // HEAD's rows for set NAME's classes (an OOD set may hold a subset of them).
    FloatMatrix headOf(const std::string& name, const FloatMatrix& head) const
    {
        const auto subset = subsetRows.find(name);
        return subset == subsetRows.end() ? head : selectRows(head, subset->second);
    }

    // Sample I of step STEP's global batch, the training set's item INDEX, as training sees it: its
    // random crop resized to the model's resolution (the sample's own generator: seed, step,
    // position), its label, and its text (a caption, or a prompt drawn from the templates when the
    // method trains with texts; empty otherwise).
    TrainingSample makeSample(int step, int i, int index)
    {
        const int res = model->config.imageResolution;
        auto rng = rngForSample(config.seed, uint64_t(step), uint64_t(i));
        const auto* captions = retrieval ? &captionSets.at("train") : nullptr;
        const auto* sample = retrieval ? nullptr : &datasets.at("train").samples[size_t(index)];
        const int image = retrieval ? captions->captionImage[size_t(index)] : -1;
        const DecodedImage& img = imageByPath(retrieval ? captions->images[size_t(image)] : sample->path);
        const CropBox box = randomCropBox(img.width, img.height, config.cropScaleMin, config.cropScaleMax, rng);
        TrainingSample out;
        out.size = res;
        out.rgb = toRgb(cropAndResize(img, box, res));
        out.label = retrieval ? image : sample->label;
        out.path = retrieval ? captions->images[size_t(image)] : sample->path;
        if (retrieval) {
            out.text = captions->captions[size_t(index)];
        } else if (method->usesTexts()) {
            std::uniform_int_distribution<size_t> pick(0, project.templates.size() - 1);
            out.text = fillTemplate(project.templates[pick(rng)], classNames[size_t(sample->label)]);
        }
        return out;
    }

    double trainStep()
    {
        ++weightsVersion; // from here on the weights may change
        const int n = retrieval ? int(captionSets.at("train").captions.size())
                                : int(datasets.at("train").samples.size());
        const int b = config.batchSize;
        // Data-parallel: the step's global batch is every rank's share; this rank's samples are
        // [first, first + b). Each sample's crop and prompt come from its own generator (seed,
        // step, position in the global batch), so a rank's share is exactly what one process
        // with the global batch would make, without touching the other ranks' images.
        const int ranks = collective ? collective->worldSize() : 1;
        const int first = collective ? collective->rank() * b : 0;
        const int res = model->config.imageResolution;
        // Data order: this session's own seeded permutation per epoch (train/epochsampler.h).
        if (!sampler) sampler = std::make_unique<EpochSampler>(config.seed, n);
        const std::vector<int> indices = sampler->batch(step, b * ranks);
        auto images = torch::empty({b, 3, res, res});
        std::vector<int64_t> labels;
        std::vector<int64_t> tokens;
        auto addTokens = [&](const std::string& text) {
            const auto& t = tokensFor(text);
            tokens.insert(tokens.end(), t.begin(), t.end());
        };
        // Retrieval: a caption and its image (captions of the same image are positives);
        // classification: a sample.
        for (int i = first; i < first + b; ++i) {
            const TrainingSample sample = makeSample(step, i, indices[size_t(i)]);
            const auto v = normaliseRgb(sample.rgb, res, res);
            std::memcpy(images[i - first].data_ptr<float>(), v.data(), v.size() * sizeof(float));
            labels.push_back(sample.label);
            if (!sample.text.empty()) addTokens(sample.text);
        }
        const torch::Device device = computeDevice();
        TrainBatch batch{images.to(device), torch::tensor(labels, torch::kInt64).to(device), {}, collective.get()};
        if (method->usesTexts()) batch.tokens = torch::tensor(tokens, torch::kInt64).view({b, -1}).to(device);
        model->train();
        torch::Tensor loss;
        {
            TrainingPrecisionScope precisionScope(computePrecision);
            DropMaskSliceScope masks({int64_t(b) * ranks, first});
            DropMaskSeedScope maskSeed(config.seed * 1000003ull + uint64_t(step)); // this step's, this session's
            loss = method->loss(batch);
        }
        double value = loss.item<double>();
        if (collective) {
            // Every rank stops on the same step: the mean of the ranks' losses (a global-batch
            // loss is the same on every rank already).
            std::vector<torch::Tensor> sum = {torch::full({1}, value, torch::kFloat64)};
            collective->allReduceSum(sum);
            value = sum[0].item<double>() / ranks;
        }
        if (!std::isfinite(value)) return value;
        const double lr = cosineLr(config, step);
        for (auto& group : optimizer->param_groups()) static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
        optimizer->zero_grad();
        if (collective) {
            backwardAllReduced(loss);
            // A global-batch loss's gradient is the sum of the ranks' parts; a per-rank mean
            // loss's is the mean of the ranks' gradients.
            if (!method->lossSpansGlobalBatch())
                for (auto& p : trainable) p.mutable_grad().div_(ranks);
        } else loss.backward();
        if (config.gradClip > 0) torch::nn::utils::clip_grad_norm_(trainable, config.gradClip);
        optimizer->step();
        method->afterStep();
        ++step;
        return value;
    }
};

TrainingSession::TrainingSession(const Project& project) : d(std::make_unique<Impl>())
{
    d->project = project;
    d->config = project.config;
    d->computePrecision = resolvePrecisionOnDevice(d->config.precision);
    setThreadCount(d->config.threads);
    try {
        d->encoder = ClipEncoder::load(project.model);
        d->model = d->encoder->impl().model;
        d->retrieval = project.task == "retrieval";
        d->config.retrievalTask = d->retrieval;
        std::vector<std::pair<std::string, std::string>> sources = {{"train", project.train}};
        if (!project.val.empty()) sources.emplace_back("val", project.val);
        if (!project.test.empty()) sources.emplace_back("test", project.test);
        for (const auto& [name, path] : project.ood) {
            if (name == "train" || name == "val" || name == "test")
                throw Error(project.path + ": an OOD set may not be called '" + name + "'.");
            sources.emplace_back(name, path);
        }
        if (d->retrieval) {
            for (const auto& [name, path] : sources) d->captionSets[name] = loadCaptionDataset(path);
        } else {
            for (const auto& [name, path] : sources) d->datasets[name] = loadImageDataset(path);
            const ImageDataset& train = d->datasets["train"];
            // The project's own names must name the training set's classes, one each; said as such,
            // not as a mismatch of the first other set against the names.
            if (!project.classNames.empty() && project.classNames.size() != train.classNames.size())
                throw Error(project.path + ": \"classnames\" lists " + std::to_string(project.classNames.size()) +
                            " names but the training set " + train.source + " has " +
                            std::to_string(train.classNames.size()) + " classes.");
            d->classNames = project.classNames.empty() ? train.classNames : project.classNames;
            for (const auto& [name, ds] : d->datasets) d->matchClasses(name, ds);
        }
        if (d->config.epochs > 0) {
            const double pairs = d->retrieval ? double(d->captionSets["train"].captions.size())
                                              : double(d->datasets["train"].samples.size());
            d->config.steps = std::max(1, int(std::ceil(d->config.epochs * pairs / d->config.batchSize)));
        }
        auto has = [&](const char* n) { return d->datasets.count(n) || d->captionSets.count(n); };
        for (auto& [name, ds] : d->datasets)
            if (name != "train") d->cutToEvalLimit(ds);
        for (auto& [name, ds] : d->captionSets)
            if (name != "train") d->cutToEvalLimit(ds);
        for (const char* n : {"val", "test"})
            if (has(n)) d->evalNames.push_back(n);
        for (const auto& [name, path] : project.ood) d->evalNames.push_back(name);
        if (d->config.earlyStopPatience > 0 && !has("val"))
            throw Error(project.path +
                        ": early stopping (early_stop_patience) watches the ID validation set, and the "
                        "project has none (\"val\"); add one, or set early_stop_patience=0.");
        if (!d->retrieval && project.templates.empty())
            throw Error(project.path + ": the project has no prompt templates.");
        torch::manual_seed(d->config.seed);
        d->setUpMethod();
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(project.path + ": " + std::string(e.what()).substr(0, 300));
    }
}

TrainingSession::~TrainingSession() = default;

const Project& TrainingSession::project() const { return d->project; }
const TrainConfig& TrainingSession::config() const { return d->config; }
int TrainingSession::stepsDone() const { return d->step; }
float TrainingSession::logitScale() const { return d->encoder->logitScale(); }

int64_t TrainingSession::trainableParameterCount() const
{
    int64_t n = 0;
    for (const auto& t : d->trainable) n += t.numel();
    return n;
}

int64_t TrainingSession::adapterWeightCount() const { return d->method->adapterWeightCount(); }
int64_t TrainingSession::adapterGateCount() const { return d->method->adapterGateCount(); }
std::vector<std::string> TrainingSession::evalSetNames() const { return d->evalNames; }

std::string TrainingSession::idSetName() const
{
    for (const char* n : {"val", "test"})
        if (d->datasets.count(n) || d->captionSets.count(n)) return n;
    return "train";
}

bool TrainingSession::isRetrieval() const { return d->retrieval; }

const ImageDataset& TrainingSession::dataset(const std::string& name) const
{
    auto it = d->datasets.find(name);
    if (it == d->datasets.end()) throw Error("no dataset named '" + name + "' in this project.");
    return it->second;
}

TrainOutcome TrainingSession::train(const ProgressFn& progress, const std::string& statePath, bool resume, int stopAt)
{
    TrainOutcome outcome;
    const auto& c = d->config;
    if (!c.trains()) {
        outcome.message = "zero-shot: nothing to train";
        return outcome;
    }
    try {
        if (resume && fs::exists(statePath)) loadState(statePath);
        const auto start = std::chrono::steady_clock::now();
        const int startStep = d->step;
        std::vector<std::string> curveSets = d->evalNames;
        // Data-parallel: the ranks evaluate together while they step together (encodeImagesOf);
        // afterwards as before (each rank's own, unless setShardedEvaluation said otherwise).
        struct ShardScope {
            bool& flag;
            const bool previous;
            ~ShardScope() { flag = previous; }
        } shardScope{d->shardEvaluation, d->shardEvaluation};
        d->shardEvaluation = true;
        bool stoppedEarly = false;
        auto stoppedAt = [&](int step) {
            outcome.status = RunStatus::Interrupted;
            outcome.message = "stopped at step " + std::to_string(step);
            outcome.steps = step;
            return outcome;
        };
        if (stopAt > 0 && d->step >= stopAt && d->step < c.steps) return stoppedAt(d->step);
        while (d->step < c.steps && !stoppedEarly) {
            d->checkStop();
            const double loss = d->trainStep();
            if (!std::isfinite(loss)) {
                outcome.status = RunStatus::Failed;
                outcome.message = "the loss became " + std::string(std::isnan(loss) ? "NaN" : "infinite") +
                    " at step " + std::to_string(d->step + 1) + "; the last good checkpoint is kept.";
                outcome.steps = d->step;
                return outcome;
            }
            TrainProgress p;
            p.step = d->step;
            p.totalSteps = c.steps;
            p.loss = loss;
            p.learningRate = cosineLr(c, d->step - 1);
            p.elapsedSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            p.etaSeconds = p.elapsedSeconds / std::max(1, d->step - startStep) * (c.steps - d->step);
            const bool last = d->step == c.steps;
            if ((c.evalEvery > 0 && d->step % c.evalEvery == 0) || last) {
                for (const auto& [name, r] : d->evaluate(c.evalAlpha(), curveSets)) p.accuracy[name] = r.primary();
                p.evaluated = true;
                // Every rank has the same accuracies (the evaluation is sharded and gathered), so
                // every rank stops after the same step.
                if (c.earlyStopPatience > 0) stoppedEarly = d->earlyStopAfter(p.accuracy.at("val"));
            }
            if (c.earlyStopPatience > 0) p.bestStep = d->best.step;
            if ((c.checkpointEvery > 0 && d->step % c.checkpointEvery == 0) || last) saveState(statePath);
            bool stop = progress && !progress(p);
            // Data-parallel: a stop asked on any rank (Ctrl-C reaches every rank of torchrun, but not
            // at one instant) stops all of them after the same step, so the checkpoint is whole.
            if (d->collective) stop = d->anyRank(stop);
            if (stop || (stopAt > 0 && d->step >= stopAt && !last)) {
                saveState(statePath);
                return stoppedAt(d->step);
            }
        }
        if (c.earlyStopPatience > 0) {
            // The final checkpoint holds the kept weights alone, without the copy resuming needed.
            const bool restored = d->restoreBest();
            if (restored || !d->best.state.empty()) {
                d->best.state.clear();
                saveState(statePath);
            }
            const std::string best = "the weights of step " + std::to_string(d->best.step) + " (ID validation " +
                fixedNumberText(100 * d->best.accuracy, 1) + " % at alpha " + numberText(c.evalAlpha(), 6) +
                ") are kept";
            outcome.message = stoppedEarly ? "stopped early at step " + std::to_string(d->step) + " of " +
                    std::to_string(c.steps) + ": ID validation accuracy had not risen for " +
                    std::to_string(c.earlyStopPatience) + " evaluations; " + best
                                           : std::string("trained every step; ") + best;
        }
    } catch (const Cancelled&) {
        // The stop check (setStopCheck) fired: between steps or inside a periodic evaluation,
        // where the weights are those of the last whole step. Keep them, as a stop request does.
        try {
            saveState(statePath);
            outcome.status = RunStatus::Interrupted;
            outcome.message = "stopped at step " + std::to_string(d->step);
        } catch (const std::exception& e) {
            outcome.status = RunStatus::Failed;
            outcome.message = userMessage(e);
        }
    } catch (const Error& e) {
        outcome.status = RunStatus::Failed;
        outcome.message = e.what();
    } catch (const std::exception& e) {
        outcome.status = RunStatus::Failed;
        outcome.message = "training failed: " + userMessage(e);
    }
    outcome.steps = d->step;
    return outcome;
}

void TrainingSession::addEvaluationSet(const std::string& name, const std::string& path)
{
    if (name.empty() || name.find('/') != std::string::npos)
        throw Error("'" + name + "' cannot name an evaluation set (a non-empty name without '/').");
    if (name == "train" || d->datasets.count(name) || d->captionSets.count(name))
        throw Error("this run already has a set named '" + name + "'; choose another --name.");
    if (d->retrieval) {
        CaptionDataset ds = loadCaptionDataset(path);
        d->cutToEvalLimit(ds);
        d->captionSets[name] = std::move(ds);
    } else {
        ImageDataset ds = loadImageDataset(path);
        d->matchClasses(name, ds);
        d->cutToEvalLimit(ds);
        d->datasets[name] = std::move(ds);
    }
    d->evalNames.push_back(name);
    d->project.ood.emplace_back(name, path);
}

void TrainingSession::setStopCheck(std::function<bool()> shouldStop) { d->shouldStop = std::move(shouldStop); }

std::map<std::string, EvalResult> TrainingSession::evaluate(double alpha, const std::vector<std::string>& sets)
{
    return d->evaluate(alpha, sets);
}

void TrainingSession::setCollective(std::shared_ptr<Collective> collective) { d->collective = std::move(collective); }
void TrainingSession::setShardedEvaluation(bool sharded) { d->shardEvaluation = sharded; }
void TrainingSession::setEvalImageCacheLimit(int64_t bytes) { d->evalImagesLimit = bytes; }

void TrainingSession::saveState(const std::string& path) const
{
    // Data-parallel runs: every rank holds the same state; rank 0 alone writes it.
    if (path.empty() || (d->collective && d->collective->rank() != 0)) return;
    torch::serialize::OutputArchive archive;
    archive.write("step", torch::tensor(int64_t(d->step)));
    for (const auto& [name, t] : d->method->state()) archive.write("state/" + name, t);
    if (d->best.step > 0) {
        archive.write("early_stop/accuracy", torch::tensor(d->best.accuracy, torch::kFloat64));
        archive.write("early_stop/step", torch::tensor(int64_t(d->best.step)));
        archive.write("early_stop/since", torch::tensor(int64_t(d->best.evaluationsSince)));
        for (const auto& [name, t] : d->best.state) archive.write("early_stop/state/" + name, t);
    }
    if (d->optimizer) {
        torch::serialize::OutputArchive opt;
        d->optimizer->save(opt);
        archive.write("optimizer", opt);
    }
    AtomicFile file(path, "the checkpoint");
    archive.save_to(file.sink());
    file.commit();
}

void TrainingSession::loadState(const std::string& path)
{
    if (!std::filesystem::exists(path)) throw Error(path + ": the run's checkpoint is missing (moved or deleted).");
    torch::serialize::InputArchive archive;
    try {
        // Onto this run's device, whichever device wrote it (a GPU run resumes on a CPU too).
        archive.load_from(path, computeDevice());
    } catch (const std::exception&) {
        throw Error(path + ": not a readable run checkpoint.");
    }
    try {
        torch::Tensor step;
        archive.read("step", step);
        const auto expected = d->method->state();
        std::map<std::string, torch::Tensor> loaded;
        for (const auto& [name, t] : expected) {
            torch::Tensor v;
            archive.read("state/" + name, v);
            if (v.sizes() != t.sizes())
                throw Error(path + ": the checkpoint does not match this run's method and model.");
            loaded[name] = v;
        }
        ++d->weightsVersion; // a failed load may have changed part of the state
        {
            torch::NoGradGuard g;
            d->method->loadState(loaded);
        }
        if (d->optimizer) {
            torch::serialize::InputArchive opt;
            archive.read("optimizer", opt);
            d->optimizer->load(opt);
        }
        // Early stopping's record, where the run had one (older checkpoints and runs without
        // early stopping have none).
        decltype(d->best) best;
        torch::Tensor accuracy, bestStep, since;
        if (archive.try_read("early_stop/accuracy", accuracy) && archive.try_read("early_stop/step", bestStep) &&
            archive.try_read("early_stop/since", since)) {
            best.accuracy = accuracy.item<double>();
            best.step = int(bestStep.item<int64_t>());
            best.evaluationsSince = int(since.item<int64_t>());
            for (const auto& [name, t] : expected) {
                torch::Tensor v;
                if (archive.try_read("early_stop/state/" + name, v) && v.sizes() == t.sizes()) best.state[name] = v;
            }
            // Without its copy the record cannot give that step's weights back: track afresh.
            if (best.state.size() != expected.size()) {
                best.state.clear();
                if (best.step != int(step.item<int64_t>())) best = {};
            }
        }
        d->best = std::move(best);
        d->step = int(step.item<int64_t>());
        ++d->weightsVersion;
    } catch (const Error&) {
        throw;
    } catch (const std::exception&) {
        throw Error(path + ": the checkpoint is incomplete or belongs to another run.");
    }
}

void TrainingSession::exportMerged(double alpha, const std::string& layout, const std::string& path)
{
    auto guard = d->applyAlpha(alpha);
    std::map<std::string, torch::Tensor> tensors;
    for (const auto& p : d->model->named_parameters()) tensors[p.key()] = p.value().detach().clone();
    if (layout != "openai" && layout != "hf") throw Error("unknown export layout '" + layout + "' (openai or hf).");
    if (layout == "openai")
        writeOpenAiSafeTensors(path, tensors, d->model->config, {{"radapter_alpha", fixedNumberText(alpha, 6)}});
    else writeHuggingFaceFolder(path, tensors, d->model->config);
    // Fine-tuning's classification head is part of the trained model but has no place in CLIP's
    // layouts: without it the export would classify as zero-shot does (a linear probe's export
    // would be the base model). It goes to its own file, with its class names and how to apply it.
    if (!trainsClassificationHead(d->config.method)) return;
    const torch::Tensor head = d->method->evaluationHead().to(torch::kCPU, torch::kFloat32).contiguous();
    TensorBlob blob{"weight", DType::F32, {head.size(0), head.size(1)}, {}};
    blob.bytes.resize(size_t(head.nbytes()));
    std::memcpy(blob.bytes.data(), head.data_ptr(), blob.bytes.size());
    writeSafeTensors(classificationHeadPath(path, layout == "hf"), {blob},
                     {{"format", "pt"},
                      {"radapter_alpha", fixedNumberText(alpha, 6)},
                      {"class_names", nlohmann::json(d->classNames).dump()},
                      {"usage", "logits = normalize(encode_image(x)) @ weight.T (weight includes the logit scale)"}});
}

void TrainingSession::exportAdapters(const std::string& path) const
{
    const std::string kind = d->method->adapterKind();
    if (kind.empty()) throw Error(path + ": only R-Adapter and LoRA runs have an adapter-only export.");
    const std::map<std::string, torch::Tensor> tensors = d->method->adapterTensors();
    std::map<std::string, std::string> meta = d->config.toParams();
    meta["format"] = "pt";
    meta["radapter_kind"] = kind;
    std::vector<TensorBlob> blobs;
    for (const auto& [name, t] : tensors) {
        auto c = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
        TensorBlob b{name, DType::F32, std::vector<int64_t>(c.sizes().begin(), c.sizes().end()), {}};
        b.bytes.resize(size_t(c.nbytes()));
        std::memcpy(b.bytes.data(), c.data_ptr(), b.bytes.size());
        blobs.push_back(std::move(b));
    }
    writeSafeTensors(path, blobs, meta);
}

FloatMatrix TrainingSession::embedImages(double alpha, const std::vector<std::string>& paths)
{
    auto guard = d->applyAlpha(alpha);
    return d->encoder->encodeImageFiles(paths);
}

FloatMatrix TrainingSession::classifyImages(double alpha, const std::vector<std::string>& paths)
{
    if (d->retrieval) throw Error("a retrieval run has no classes to predict; its embeddings are what it gives.");
    auto guard = d->applyAlpha(alpha);
    c10::InferenceMode inference;
    // The fine-tuned heads carry the logit scale (1 / temperature) in their rows; the zero-shot
    // head is normalised, so it gets the same scale here.
    const torch::Tensor trained = d->method->evaluationHead();
    const torch::Tensor head = trained.defined() ? trained : d->zeroShotHeadTensor() * d->logitScale();
    const torch::Tensor features = F::normalize(d->encodeImages(paths, 0, int64_t(paths.size()), nullptr),
                                                F::NormalizeFuncOptions().dim(1));
    return toMatrix(torch::softmax(features.matmul(head.t()).to(torch::kFloat32), 1).cpu().contiguous());
}

const std::vector<std::string>& TrainingSession::classNames() const { return d->classNames; }

std::vector<TrainingSample> TrainingSession::trainingSamples(int step, int count)
{
    if (step < 0 || count < 0) throw Error("a training step and a sample count are not negative.");
    const int n = d->retrieval ? int(d->captionSets.at("train").captions.size())
                               : int(d->datasets.at("train").samples.size());
    // The sampler of a session that has not trained yet is the one its first step will make.
    if (!d->sampler) d->sampler = std::make_unique<EpochSampler>(d->config.seed, n);
    const int global = d->config.batchSize * (d->collective ? d->collective->worldSize() : 1);
    const std::vector<int> indices = d->sampler->batch(step, global);
    std::vector<TrainingSample> out;
    for (int i = 0; i < std::min(count, global); ++i) out.push_back(d->makeSample(step, i, indices[size_t(i)]));
    return out;
}

SetEmbeddings TrainingSession::embedEvaluationSet(double alpha, const std::string& set, int64_t limit)
{
    if (d->retrieval)
        throw Error("the embedding map needs a classification run; a retrieval run's sets have no classes.");
    const auto& samples = d->datasetNamed(set).samples;
    const int64_t n = int64_t(samples.size()), taken = limit > 0 ? std::min(limit, n) : n;
    SetEmbeddings out;
    std::vector<std::string> paths;
    for (int64_t i = 0; i < taken; ++i) {
        const int64_t s = i * n / taken; // evenly spread: sets are often stored class by class
        out.samples.push_back(s);
        out.labels.push_back(samples[size_t(s)].label);
        paths.push_back(samples[size_t(s)].path);
    }
    auto guard = d->applyAlpha(alpha);
    c10::InferenceMode inference;
    const auto cached = d->evalImages.find(set); // the set's images preprocessed by an evaluation
    const torch::Tensor preprocessed = cached == d->evalImages.end()
        ? torch::Tensor()
        : cached->second.index_select(0, torch::tensor(out.samples));
    out.images = toMatrix(
        F::normalize(d->encodeImages(paths, 0, taken, preprocessed.defined() ? &preprocessed : nullptr),
                     F::NormalizeFuncOptions().dim(1)));
    const FloatMatrix head = d->headOf(set, d->evaluationHeadMatrix());
    const ClassificationResult scored = classify(out.images, head, out.labels);
    out.predictions = scored.predictions;
    out.accuracy = scored.top1;
    torch::Tensor h = torch::from_blob(const_cast<float*>(head.data.data()), {head.rows, head.cols});
    out.classes = toMatrix(F::normalize(h, F::NormalizeFuncOptions().dim(1)));
    return out;
}

TrainingSession::CaptionPairs TrainingSession::embedCaptionPairs(double alpha, const std::string& set, int64_t limit)
{
    if (!d->retrieval) throw Error("caption pairs need a retrieval run; a classification run's sets have classes.");
    if (!d->captionSets.count(set)) throw Error("no evaluation set named '" + set + "' in this project.");
    const CaptionDataset& ds = d->captionSets.at(set);
    std::vector<int64_t> firstCaption(ds.images.size(), -1);
    for (size_t c = ds.captionImage.size(); c-- > 0;) firstCaption[size_t(ds.captionImage[c])] = int64_t(c);
    std::vector<std::string> paths, texts;
    const int64_t n = int64_t(ds.images.size()), taken = limit > 0 ? std::min(limit, n) : n;
    for (int64_t i = 0; i < taken; ++i) {
        const int64_t image = i * n / taken;
        if (firstCaption[size_t(image)] < 0) continue; // an image without a caption pairs with nothing
        paths.push_back(ds.images[size_t(image)]);
        texts.push_back(ds.captions[size_t(firstCaption[size_t(image)])]);
    }
    auto guard = d->applyAlpha(alpha);
    c10::InferenceMode inference;
    CaptionPairs out;
    out.setImages = n;
    out.images = toMatrix(
        F::normalize(d->encodeImages(paths, 0, int64_t(paths.size()), nullptr), F::NormalizeFuncOptions().dim(1)));
    out.captions = d->captionEmbeddings(texts);
    return out;
}

FloatMatrix TrainingSession::embedTexts(double alpha, const std::vector<std::string>& texts)
{
    auto guard = d->applyAlpha(alpha);
    return d->encoder->encodeTexts(texts);
}

} // namespace ra
