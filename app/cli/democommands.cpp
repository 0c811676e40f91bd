// The demo world's commands: prepare-demo (the distribution-shift benchmark from Debian's data),
// pretrain (the shipped small CLIP) and demo (the headless comparison table).
#include "cli/arguments.h"
#include "cli/commands.h"
#include "demo/demorunner.h"
#include "demo/digitsshift.h"
#include "demo/pretrainer.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

using nlohmann::json;

namespace ra::cli {

int runPrepareDemo(int argc, char** argv, int first)
{
    Arguments args(argc, argv, first, {});
    args.allowOnly({"out", "seed"});
    DemoDataOptions o;
    o.seed = uint64_t(args.intValue("seed", int64_t(o.seed), 0, kMaxSeed));
    const std::string out = args.value("out", defaultDemoDataDir());
    const auto splits = prepareDigitsShift(out, o);
    json j = {{"out", out}, {"splits", json::object()}};
    for (const auto& s : splits) j["splits"][s.name] = s.images;
    std::cout << j.dump(2) << "\n";
    return 0;
}

int runPretrain(int argc, char** argv, int first)
{
    Arguments args(argc, argv, first, {});
    args.allowOnly({"out", "init", "steps", "batch", "lr", "seed", "threads", "eval-data", "eval-every", "precision"});
    PretrainOptions o;
    if (!args.has("out")) throw UsageError("the option --out is required.");
    o.out = args.value("out");
    o.steps = int(args.intValue("steps", o.steps, 1, kMaxSteps));
    o.batch = int(args.intValue("batch", o.batch, 2, kMaxBatch));
    o.learningRate = args.doubleValue("lr", o.learningRate, 1e-12, 10);
    o.seed = uint64_t(args.intValue("seed", 0, 0, kMaxSeed));
    o.threads = int(args.intValue("threads", 0, 0, kMaxThreads));
    o.evalData = args.value("eval-data");
    o.init = args.value("init");
    o.evalEvery = int(args.intValue("eval-every", o.evalEvery, 0, kMaxSteps));
    o.precision = precisionFromName(args.value("precision", "auto"), "--precision");
    warnAboutPrecision(o.precision);
    pretrainGlyphClip(o, [](const PretrainProgress& p) {
        if (p.step % 25 == 0 || !p.zeroShot.empty() || p.step == p.totalSteps) {
            std::fprintf(stderr, "step %d/%d  loss %.4f  scale %.1f  %.0fs", p.step, p.totalSteps, p.loss, p.logitScale,
                         p.elapsedSeconds);
            for (const auto& [split, acc] : p.zeroShot) std::fprintf(stderr, "  %s %.1f%%", split.c_str(), 100 * acc);
            std::fprintf(stderr, "\n");
        }
        return true;
    });
    std::cout << json({{"out", o.out}, {"steps", o.steps}}).dump() << "\n";
    return 0;
}

} // namespace ra::cli

namespace ra::cli {
namespace {

std::string fmtAlpha(double alpha)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f", alpha);
    return buf;
}

} // namespace

int runDemoCommand(int argc, char** argv, int first, int threads)
{
    Arguments args(argc, argv, first, {"json"});
    args.allowOnly({"json", "seed", "project", "steps"});
    DemoOptions o;
    o.projectPath = args.has("project") ? args.value("project") : demoProjectPath();
    o.dataDir = (std::filesystem::path(o.projectPath).parent_path() / "data").string();
    o.seed = uint64_t(args.intValue("seed", 0, 0, kMaxSeed));
    o.threads = threads;
    o.steps = int(args.intValue("steps", -1, 1, kMaxSteps)); // -1: the project's steps
    const bool asJson = args.has("json");
    const DemoResult r = runDemo(o, [&](const std::string& line) { std::fprintf(stderr, "demo: %s\n", line.c_str()); });
    if (asJson) {
        json methods = json::object();
        for (const auto& m : r.methods)
            methods[m.name] = {{"ID", m.id}, {"OOD", m.ood}, {"OOD_avg", m.oodAverage}, {"alpha", m.alpha}};
        json validation = json::object();
        for (const auto& [alpha, acc] : r.radapterValidation) validation[fmtAlpha(alpha)] = acc;
        const AlphaChoice& c = r.alphaChoice;
        const json selection = {
            {"rule", "one-standard-error"}, {"alpha", c.oneStandardError},       {"argmax", c.argmax},
            {"best_val", c.bestAccuracy},   {"standard_error", c.standardError}, {"val_curve", validation}};
        auto curve = [](const std::vector<DemoCurvePoint>& points) {
            json c = json::array();
            for (const auto& p : points) c.push_back({{"alpha", p.alpha}, {"ID", p.id}, {"OOD_avg", p.oodAverage}});
            return c;
        };
        const json curves = {{"WiSE-FT", curve(r.wiseFtCurve)}, {"R-Adapter", curve(r.radapterCurve)}};
        std::cout << json({{"methods", methods},
                           {"curves", curves},
                           {"alpha_selection", selection},
                           {"seconds", r.seconds},
                           {"seed", o.seed},
                           {"project", o.projectPath}})
                         .dump()
                  << "\n";
        return 0;
    }
    std::vector<std::string> sets;
    for (const auto& [set, v] : r.methods.front().ood) sets.push_back(set);
    std::printf("%-21s %6s %7s", "method", "alpha", "ID");
    for (const auto& s : sets) std::printf(" %15s", s.c_str());
    std::printf(" %8s\n", "OOD avg");
    for (const auto& m : r.methods) {
        std::printf("%-21s %6.2f %6.1f%%", m.name.c_str(), m.alpha, 100 * m.id);
        for (const auto& s : sets) std::printf(" %14.1f%%", 100 * m.ood.at(s));
        std::printf(" %7.1f%%\n", 100 * m.oodAverage);
    }
    std::printf(
        "(ID: handwritten test set. R-Adapter's alpha: the smallest within one standard error (%.1f points) of the\n"
        " best ID-validation accuracy %.1f%% at alpha %.1f; OOD data is never used to choose. %.0f s, seed %llu)\n",
        100 * r.alphaChoice.standardError, 100 * r.alphaChoice.bestAccuracy, r.alphaChoice.argmax, r.seconds,
        static_cast<unsigned long long>(o.seed));
    return 0;
}

} // namespace ra::cli
