// `radapter search`: a hyper-parameter grid or random draws from ranges, every combination one stored run, tagged
// together and ranked by ID accuracy — validation accuracy where the project has a validation set, never an OOD set
// (config/searchgrid.h). The runs are ordinary runs: the Studio's runs browser shows them, its Parallel tab draws the
// search, and each can be swept, exported or resumed. Started again with the same tag, a search reuses the combinations
// it finished (after Ctrl-C, or to add values).
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/recordedtraining.h"
#include "config/searchgrid.h"
#include "dist/launch.h"
#include "project/project.h"
#include "store/runstore.h"
#include "store/runsummary.h"
#include "store/searchruns.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

using nlohmann::json;

namespace ra::cli {
namespace {

std::string percent(double fraction)
{
    if (fraction < 0) return "—";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %%", 100 * fraction);
    return buf;
}

std::string meanStd(const SearchGroup& g)
{
    if (g.idMean < 0) return "—";
    char buf[48];
    if (g.runs.size() > 1) std::snprintf(buf, sizeof buf, "%.1f ± %.1f %%", 100 * g.idMean, 100 * g.idStd);
    else std::snprintf(buf, sizeof buf, "%.1f %%", 100 * g.idMean);
    return buf;
}

// TEXT padded with spaces to WIDTH characters (printf's width counts bytes, and "±" is two).
std::string padded(const std::string& text, size_t width)
{
    size_t characters = 0;
    for (unsigned char c : text) characters += (c & 0xC0) != 0x80;
    return text + std::string(width > characters ? width - characters : 0, ' ');
}

json settingsJson(const SearchSettings& settings)
{
    json out = json::object();
    for (const auto& [key, value] : settings) out[key] = value;
    return out;
}

} // namespace

int runSearch(int argc, char** argv, int first)
{
    Arguments args(argc, argv, first, {"quiet", "json"});
    args.allowOnly(
        {"project", "grid", "range", "samples", "sample-seed", "set", "db", "tag", "experiment", "quiet", "json"});
    if (detectLaunch(processEnvironment, "", ""))
        throw UsageError("search trains its runs one after another in one process; start it without torchrun or "
                         "srun (under them, start each run with train).");
    const std::string projectPath = args.required("project");
    if (!args.has("grid") && !args.has("range"))
        throw UsageError("give the values to search: --grid lr=1e-3,3e-3,1e-2, or --range lr=1e-4:1e-2:log "
                         "--samples 8 for random draws.");
    SearchSpec spec;
    std::vector<SearchSettings> combinations;
    try {
        for (const std::string& text : args.values("grid")) spec.grid.push_back(parseSearchAxis(text));
        for (const std::string& text : args.values("range")) spec.ranges.push_back(parseSearchRange(text));
        spec.samples = int(args.intValue("samples", 0, 1, int64_t(kMostSearchRuns)));
        spec.sampleSeed = uint64_t(args.intValue("sample-seed", 0, 0, INT64_MAX));
        combinations = planSearch(spec);
    } catch (const Error& e) {
        throw UsageError(e.what()); // a malformed option: exit 2 before anything is loaded
    }
    const std::string tag = args.value("tag", defaultSearchTag());
    if (tag.empty()) throw UsageError("--tag needs a name.");
    Project project = Project::load(projectPath);
    for (const auto& kv : args.values("set")) {
        const auto eq = kv.find('=');
        if (eq == std::string::npos) throw UsageError("--set needs key=value, got '" + kv + "'.");
        for (const auto& searched : combinations.front()) // every combination has the same keys
            if (searched.first == kv.substr(0, eq))
                throw UsageError("--set " + kv + ": " + searched.first + " is searched too; give it once.");
        project.config.applySetting(kv.substr(0, eq), kv.substr(eq + 1));
    }
    project.config.validate();
    try {
        checkSearch(project.config, combinations); // every value, before the first run trains
    } catch (const Error& e) {
        throw UsageError(e.what());
    }
    RunStore store(databasePath(args), RunStore::Access::ReadWrite);
    store.markStaleRunsInterrupted();
    const bool quiet = args.has("quiet");
    const std::string experiment = args.value("experiment", "default");
    const std::vector<RunRecord> tagged = runsTagged(store, tag); // an earlier search's, reused when finished
    const std::vector<FinishedRun> finished = finishedRuns(store, tagged);
    if (!quiet)
        std::fprintf(stderr, "radapter search: %zu run%s, tagged %s%s\n", combinations.size(),
                     combinations.size() == 1 ? "" : "s", tag.c_str(),
                     tagged.empty() ? "" : " (the runs an earlier search with this tag finished are reused)");

    std::vector<SearchRun> runs;
    std::string idSet;
    bool failed = false, stopped = false;
    for (size_t i = 0; i < combinations.size() && !stopped; ++i) {
        const SearchSettings& settings = combinations[i];
        Project p = project;
        for (const auto& [key, value] : settings) p.config.applySetting(key, value);
        p.config.threads = threadsFor(p.config);
        if (const auto earlier = finishedRunOf(finished, p)) {
            const RunSummary summary = summarizeRun(store, *earlier);
            if (!summary.idSet.empty()) idSet = summary.idSet;
            runs.push_back({settings, *earlier, true, summary.lastId, summary.lastOod, summary.alpha});
            if (!quiet)
                std::fprintf(stderr, "search %zu/%zu  %s  run %lld  finished earlier: reused\n", i + 1,
                             combinations.size(), describeSettings(settings).c_str(), static_cast<long long>(*earlier));
            continue;
        }
        const auto started = std::chrono::steady_clock::now();
        TrainingSession session(p);
        RunRecorder recorder = RunRecorder::start(store, p, experiment,
                                                  p.name + " [" + describeSettings(settings) + "]");
        store.addTag(recorder.id(), tag);
        if (!quiet)
            std::fprintf(stderr, "search %zu/%zu  %s  run %lld\n", i + 1, combinations.size(),
                         describeSettings(settings).c_str(), static_cast<long long>(recorder.id()));
        // The run's progress as train prints it: a run may take minutes.
        const RecordedTraining trained = trainRecorded(session, recorder, quiet, /*resume=*/false);
        const RunSummary summary = summarizeRun(store, recorder.id());
        if (!summary.idSet.empty()) idSet = summary.idSet;
        const bool finished = trained.outcome.status == RunStatus::Finished;
        runs.push_back({settings, recorder.id(), finished, summary.lastId, summary.lastOod, summary.alpha});
        failed = failed || trained.outcome.status == RunStatus::Failed;
        stopped = StopSignals::requested();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (!quiet) {
            char result[160] = "not evaluated";
            if (summary.lastId >= 0)
                std::snprintf(result, sizeof result, "at alpha %g: ID %s %s, OOD avg %s", summary.alpha,
                              summary.idSet.c_str(), percent(summary.lastId).c_str(), percent(summary.lastOod).c_str());
            std::fprintf(stderr, "search %zu/%zu  %s  run %lld  %s  %s  (%.0f s)%s%s\n", i + 1, combinations.size(),
                         describeSettings(settings).c_str(), static_cast<long long>(recorder.id()),
                         runStatusName(trained.outcome.status), result, seconds,
                         trained.outcome.message.empty() ? "" : ": ", trained.outcome.message.c_str());
        }
    }
    if (stopped)
        std::fprintf(stderr, "radapter search: stopped after %zu of %zu runs; the rest did not start.\n", runs.size(),
                     combinations.size());

    const std::vector<SearchGroup> ranked = rankSearch(runs);
    const SearchGroup* best = !ranked.empty() && ranked.front().idMean >= 0 ? &ranked.front() : nullptr;
    if (args.has("json")) {
        json groups = json::array();
        for (const SearchGroup& g : ranked)
            groups.push_back({{"settings", settingsJson(g.settings)},
                              {"runs", g.runs},
                              {"finished", g.finished},
                              {"alpha", g.alpha},
                              {"id", {{"mean", g.idMean}, {"std", g.idStd}}},
                              {"ood_average", g.oodMean}});
        std::cout << json({{"tag", tag},
                           {"ranked_on", idSet},
                           {"runs", runs.size()},
                           {"planned", combinations.size()},
                           {"groups", groups},
                           {"best", best ? settingsJson(best->settings) : json()}})
                         .dump(2)
                  << "\n";
    } else {
        size_t width = 8; // the settings column: as wide as the longest
        for (const SearchGroup& g : ranked) width = std::max(width, describeSettings(g.settings).size());
        std::cout << padded("rank", 6) << padded("settings", width + 2) << padded("runs", 14) << padded("alpha", 7)
                  << padded(idSet.empty() ? "ID" : "ID " + idSet, 16) << "OOD avg\n";
        for (size_t r = 0; r < ranked.size(); ++r) {
            const SearchGroup& g = ranked[r];
            std::string ids;
            for (int64_t id : g.runs) ids += (ids.empty() ? "" : ",") + std::to_string(id);
            char alpha[16];
            std::snprintf(alpha, sizeof alpha, "%g", g.alpha);
            std::cout << padded(std::to_string(r + 1), 6) << padded(describeSettings(g.settings), width + 2)
                      << padded(ids, 14) << padded(alpha, 7) << padded(meanStd(g), 16) << percent(g.oodMean) << "\n";
        }
        if (best)
            std::cout << "best by ID " << idSet << " accuracy: " << describeSettings(best->settings)
                      << ". The OOD averages are shown beside it, never used to choose.\n";
        if (idSet == "test")
            std::cout << "(the project has no ID validation set: ranked on the ID test set, which then no longer "
                         "measures the chosen settings fairly)\n";
    }
    return failed ? 1 : 0;
}

} // namespace ra::cli
