#include "cli/commands.h"

#include "bench/benchmark.h"
#include "cli/arguments.h"
#include "clip/clipencoder.h"
#include "data/dataset.h"
#include "data/templates.h"
#include "eval/zeroshot.h"
#include "platform/computedevice.h"
#include "platform/systeminfo.h"
#include "util/error.h"
#include "util/runtime.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>

using nlohmann::json;

namespace ra::cli {
namespace {

json matrixToJson(const FloatMatrix& m)
{
    json rows = json::array();
    for (int64_t r = 0; r < m.rows; ++r) rows.push_back(std::vector<float>(m.row(r), m.row(r) + m.cols));
    return rows;
}

} // namespace

int runEmbed(int argc, char** argv, int first)
{
    Arguments args(argc, argv, first, {"force"});
    args.allowOnly({"model", "image", "text", "run", "alpha", "precision", "db", "set", "limit", "out", "force"});
    if (args.has("set")) return runEmbedSet(argc, argv, first);
    if (args.has("run")) return runEmbedFromRun(argc, argv, first);
    auto encoder = ClipEncoder::load(args.required("model"));
    // fp32 unless asked: embeddings are compared with references to 1e-6.
    const Precision precision = precisionFromName(args.value("precision", "fp32"), "--precision");
    warnAboutPrecision(precision);
    encoder->setPrecision(precision);
    const FloatMatrix images = encoder->encodeImageFiles(args.values("image"));
    const FloatMatrix texts = encoder->encodeTexts(args.values("text"));
    printEmbeddings(images, texts, encoder->logitScale());
    return 0;
}

void printEmbeddings(const FloatMatrix& images, const FloatMatrix& texts, float logitScale)
{
    json out;
    out["image"] = matrixToJson(images);
    out["text"] = matrixToJson(texts);
    out["logit_scale"] = logitScale;
    std::cout << out.dump() << "\n";
}

int runZeroShot(int argc, char** argv, int first)
{
    Arguments args(argc, argv, first, {"quiet"});
    args.allowOnly({"model", "data", "templates", "classnames", "batch", "quiet"});
    const auto start = std::chrono::steady_clock::now();
    // ImageNet with ViT-B/32 on a laptop: 80,000 prompts, then 50,000 images, half an hour or more.
    // A line on standard error at most every five seconds says how far it is.
    auto lastReport = start;
    auto report = [&](const char* what, int64_t done, int64_t total) {
        const auto now = std::chrono::steady_clock::now();
        if (args.has("quiet") || (now - lastReport < std::chrono::seconds(5) && done < total)) return;
        if (done == total && now - start < std::chrono::seconds(5)) return; // quick: nothing to report
        lastReport = now;
        std::fprintf(stderr, "zeroshot: %s %lld/%lld  %.0fs\n", what, static_cast<long long>(done),
                     static_cast<long long>(total), std::chrono::duration<double>(now - start).count());
    };
    ImageDataset dataset = loadImageDataset(args.required("data"));
    if (args.has("classnames")) applyClassNamesFile(dataset, args.value("classnames"));
    const auto templates = args.has("templates") ? readTemplatesFile(args.value("templates"))
                                                 : openAiImageNetTemplates();
    auto encoder = ClipEncoder::load(args.required("model"));
    const FloatMatrix head = zeroShotHead(*encoder, dataset.classNames, templates,
                                          [&](int64_t done, int64_t total) { report("classes", done, total); });
    const FloatMatrix features = encodeDataset(*encoder, dataset, int(args.intValue("batch", 64, 1, kMaxBatch)),
                                               [&](int64_t done, int64_t total) { report("images", done, total); });
    std::vector<int> labels;
    for (const auto& s : dataset.samples) labels.push_back(s.label);
    const ClassificationResult r = classify(features, head, labels);
    json perClass = json::object();
    for (size_t c = 0; c < dataset.classNames.size(); ++c)
        perClass[dataset.classNames[c]] = {{"accuracy", r.perClassAccuracy[c]}, {"count", r.perClassCount[c]}};
    json out = {{"dataset", dataset.source},
                {"model", encoder->source()},
                {"images", r.count},
                {"classes", dataset.classNames.size()},
                {"templates", templates.size()},
                {"top1", r.top1},
                {"top5", r.top5},
                {"per_class", perClass},
                {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()}};
    std::cout << out.dump(2) << "\n";
    return 0;
}

int runInfo(int argc, char** argv, int first)
{
    Arguments args(argc, argv, first, {"system"});
    args.allowOnly({"model", "system"});
    if (args.has("system")) {
        if (args.has("model")) throw UsageError("give --model or --system, not both.");
        std::cout << systemInfoJson(2) << "\n";
        return 0;
    }
    auto encoder = ClipEncoder::load(args.required("model"));
    const ClipConfig& c = encoder->config();
    json out = {
        {"model", encoder->source()},
        {"layout", encoder->layoutName()},
        {"architecture", c.architectureName()},
        {"embed_dim", c.embedDim},
        {"image_resolution", c.imageResolution},
        {"vision",
         {{"width", c.visionWidth}, {"layers", c.visionLayers}, {"heads", c.visionHeads}, {"patch_size", c.patchSize}}},
        {"text",
         {{"width", c.textWidth},
          {"layers", c.textLayers},
          {"heads", c.textHeads},
          {"context_length", c.contextLength},
          {"vocab_size", c.vocabSize}}},
        {"activation", c.activation == Activation::QuickGelu ? "quick_gelu" : "gelu"},
        {"logit_scale", encoder->logitScale()},
        {"parameters",
         {{"total", c.parameterCount()}, {"vision", c.visionParameterCount()}, {"text", c.textParameterCount()}}}};
    std::cout << out.dump(2) << "\n";
    return 0;
}

int runBench(int argc, char** argv, int first, int threads)
{
    Arguments args(argc, argv, first, {});
    args.allowOnly({"arch", "batch", "steps", "precision", "threads", "warmup", "mode"});
    BenchOptions o;
    o.arch = args.value("arch", o.arch);
    o.batch = int(args.intValue("batch", o.batch, 1, kMaxBatch));
    o.steps = int(args.intValue("steps", o.steps, 1, kMaxSteps));
    o.warmup = int(args.intValue("warmup", o.warmup, 0, kMaxSteps));
    o.threads = int(args.intValue("threads", threads, 0, kMaxThreads));
    const std::string precision = args.value("precision", "auto");
    if (precision != "auto" && precision != "fp32" && precision != "bf16")
        throw UsageError("--precision must be auto, fp32 or bf16.");
    o.precision = precisionFromName(precision, "--precision");
    warnAboutPrecision(o.precision);
    const std::string mode = args.value("mode", "all");
    if (mode != "all" && mode != "inference" && mode != "train")
        throw UsageError("--mode must be all, inference or train.");
    o.inference = mode != "train";
    o.train = mode != "inference";
    const BenchResult r = runBenchmark(o);
    json out = {{"arch", r.arch},
                {"batch", r.batch},
                {"steps", r.steps},
                {"precision", r.precision},
                {"compute_precision", r.computePrecision},
                {"device", r.device},
                {"threads", r.threads},
                {"inference_img_per_s", r.inferenceImgPerS},
                {"inference_s_per_batch", r.inferenceSecondsPerBatch},
                {"train_img_per_s", r.trainImgPerS},
                {"train_s_per_step", r.trainSecondsPerStep},
                {"peak_rss_mb", r.peakRssMb}};
    if (!o.inference) {
        out.erase("inference_img_per_s");
        out.erase("inference_s_per_batch");
    }
    if (!o.train) {
        out.erase("train_img_per_s");
        out.erase("train_s_per_step");
    }
    out["system"] = json::parse(systemInfoJson(0)); // after the run: it lists the kernels chosen
    std::cout << out.dump() << "\n";
    return 0;
}

void warnAboutPrecision(Precision requested)
{
    const std::string warning = precisionWarningOnDevice(requested);
    if (!warning.empty()) std::cerr << "radapter: warning: " << warning << "\n";
}

} // namespace ra::cli
