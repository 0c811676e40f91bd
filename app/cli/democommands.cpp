// The demo world's commands: prepare-demo (the distribution-shift benchmark from Debian's data),
// pretrain (the shipped small CLIP) and demo (the headless comparison table).
#include "cli/arguments.h"
#include "cli/commands.h"
#include "demo/demoresultfile.h"
#include "demo/demorunner.h"
#include "demo/demoseeds.h"
#include "demo/demostory.h"
#include "demo/digitsshift.h"
#include "demo/pretrainer.h"
#include "io/outputtarget.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
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
    Arguments args(argc, argv, first, {"force"});
    args.allowOnly(
        {"out", "init", "steps", "batch", "lr", "seed", "threads", "eval-data", "eval-every", "precision", "force"});
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
    // Checked now, not when the model is written after minutes of training: never the --init
    // model (continuing in place would destroy the only copy if the run went wrong), a run store
    // or a project, and an existing file only with --force, as for export.
    checkOutputTarget(o.out, {}, {{o.init, "the --init model"}, {o.evalData, "the --eval-data folder", true}},
                      args.has("force"));
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

// Under the table: which part of the paper's story this run shows (ON: "this run", "the means").
void printStory(const std::vector<StoryClaim>& claims, const char* on)
{
    std::printf("\nThe paper's story on %s (the bars the demo world was designed to, docs/ood-suite.md):\n", on);
    for (const auto& c : claims) std::printf("  %s %s\n", c.holds ? "✓" : "✗", c.text.c_str());
}

void printDemoTable(const DemoResult& r)
{
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
        static_cast<unsigned long long>(r.seed));
    printStory(checkPaperStory(r), "this run");
}

// "0,1,2": distinct seeds (a seed twice would only shrink the spread).
std::vector<uint64_t> parseSeeds(const std::string& text)
{
    std::vector<uint64_t> seeds;
    size_t begin = 0;
    while (begin <= text.size()) {
        const size_t end = std::min(text.find(',', begin), text.size());
        const std::string item = text.substr(begin, end - begin);
        size_t used = 0;
        long long value = -1;
        try {
            value = std::stoll(item, &used);
        } catch (const std::exception&) {}
        if (item.empty() || used != item.size() || value < 0 || value > kMaxSeed)
            throw UsageError("--seeds: '" + item + "' is not a seed; give a list such as 0,1,2.");
        if (std::find(seeds.begin(), seeds.end(), uint64_t(value)) != seeds.end())
            throw UsageError("--seeds: seed " + item + " is listed twice.");
        seeds.push_back(uint64_t(value));
        begin = end + 1;
    }
    return seeds;
}

json meanStdJson(const MeanStd& m) { return {{"mean", m.mean}, {"std", m.std}}; }

void printSeedsTable(const std::vector<DemoMethodSummary>& summary, const std::vector<DemoCurvePoint>& wiseFtCurve,
                     const std::vector<uint64_t>& seeds, double seconds)
{
    auto cell = [](const MeanStd& m) {
        char text[32];
        std::snprintf(text, sizeof text, "%.1f ± %.1f", 100 * m.mean, 100 * m.std);
        return std::string(text);
    };
    // printf pads by bytes and "±" is two: one more byte of width for every cell.
    std::vector<std::string> sets;
    for (const auto& [set, v] : summary.front().ood) sets.push_back(set);
    std::printf("%-21s %-13s %12s", "method", "alpha", "ID");
    for (const auto& s : sets) std::printf(" %15s", s.c_str());
    std::printf(" %12s\n", "OOD avg");
    for (const auto& m : summary) {
        std::string alphas;
        bool same = true;
        for (double a : m.alphas) same = same && a == m.alphas.front();
        for (size_t i = 0; i < (same ? 1 : m.alphas.size()); ++i) alphas += (i ? "/" : "") + fmtAlpha(m.alphas[i]);
        std::printf("%-21s %-13s %13s", m.name.c_str(), alphas.c_str(), cell(m.id).c_str());
        for (const auto& s : sets) std::printf(" %16s", cell(m.ood.at(s)).c_str());
        std::printf(" %13s\n", cell(m.oodAverage).c_str());
    }
    std::string list;
    for (uint64_t s : seeds) list += (list.empty() ? "" : ", ") + std::to_string(s);
    std::printf("(accuracy in %%, mean ± standard deviation over seeds %s. ID: handwritten test set. R-Adapter's\n"
                " alpha is chosen per seed on ID validation by the one-standard-error rule; OOD data is never used\n"
                " to choose. %.0f s in all)\n",
                list.c_str(), seconds);
    printStory(checkPaperStory(summary, wiseFtCurve), "the means over the seeds");
}

} // namespace

int runDemoCommand(int argc, char** argv, int first, int threads)
{
    Arguments args(argc, argv, first, {"json"});
    args.allowOnly({"json", "seed", "seeds", "project", "steps"});
    DemoOptions o;
    o.projectPath = args.has("project") ? args.value("project") : demoProjectPath();
    o.dataDir = (std::filesystem::path(o.projectPath).parent_path() / "data").string();
    o.threads = threads;
    o.steps = int(args.intValue("steps", -1, 1, kMaxSteps)); // -1: the project's
    const bool asJson = args.has("json");
    if (args.has("seed") && args.has("seeds")) throw UsageError("give --seed or --seeds, not both.");
    const std::vector<uint64_t> seeds = args.has("seeds")
        ? parseSeeds(args.value("seeds"))
        : std::vector<uint64_t>{uint64_t(args.intValue("seed", 0, 0, kMaxSeed))};
    std::vector<DemoResult> runs;
    double seconds = 0;
    for (uint64_t seed : seeds) {
        o.seed = seed;
        const std::string prefix = args.has("seeds") ? "demo: seed " + std::to_string(seed) + ": " : "demo: ";
        runs.push_back(
            runDemo(o, [&](const std::string& line) { std::fprintf(stderr, "%s%s\n", prefix.c_str(), line.c_str()); }));
        seconds += runs.back().seconds;
    }
    if (!args.has("seeds")) {
        if (asJson) std::cout << demoResultJson(runs.front(), o.projectPath) << "\n";
        else printDemoTable(runs.front());
        return 0;
    }
    const std::vector<DemoMethodSummary> summary = summarizeDemoSeeds(runs);
    if (!asJson) {
        printSeedsTable(summary, meanWiseFtCurve(runs), seeds, seconds);
        return 0;
    }
    json perSeed = json::array(), methods = json::object();
    for (const DemoResult& r : runs) perSeed.push_back(json::parse(demoResultJson(r, o.projectPath)));
    for (const auto& m : summary) {
        json ood = json::object();
        for (const auto& [set, v] : m.ood) ood[set] = meanStdJson(v);
        methods[m.name] = {
            {"alphas", m.alphas}, {"ID", meanStdJson(m.id)}, {"OOD", ood}, {"OOD_avg", meanStdJson(m.oodAverage)}};
    }
    std::cout << json({{"seeds", seeds},
                       {"summary", methods},
                       {"story",
                        json::parse(paperStoryJson(checkPaperStory(summary, meanWiseFtCurve(runs))))}, // on the means
                       {"runs", perSeed},
                       {"seconds", seconds},
                       {"project", o.projectPath}})
                     .dump()
              << "\n";
    return 0;
}

} // namespace ra::cli
