// `radapter search`: a hyper-parameter grid or random draws from ranges, every combination one stored run, tagged
// together and ranked by ID accuracy — validation accuracy where the project has a validation set, never an OOD set
// (config/searchgrid.h). The runs are ordinary runs: the Studio's runs browser shows them, its Parallel tab draws the
// search, and each can be swept, exported or resumed. Started again with the same tag, a search reuses the combinations
// it finished (after Ctrl-C, or to add values). --halving: successive halving (config/halvingsearch.h), the runs cut
// at a rung left interrupted with why. --bayes: the ranges' later draws chosen by TPE (config/bayessearch.h).
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/recordedtraining.h"
#include "config/bayessearch.h"
#include "config/halvingsearch.h"
#include "config/parameterimportance.h"
#include "config/searchgrid.h"
#include "dist/launch.h"
#include "project/project.h"
#include "store/runstore.h"
#include "store/runsummary.h"
#include "store/searchruns.h"
#include "util/error.h"
#include "util/labeltext.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>

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
    Arguments args(argc, argv, first, {"quiet", "json", "halving", "bayes"});
    args.allowOnly({"project", "grid", "range", "samples", "sample-seed", "set", "db", "tag", "experiment", "quiet",
                    "json", "halving", "bayes"});
    const bool halving = args.has("halving"), bayesian = args.has("bayes");
    if (detectLaunch(processEnvironment, "", ""))
        throw UsageError("search trains its runs one after another in one process; start it without torchrun or "
                         "srun (under them, start each run with train).");
    const std::string projectPath = args.required("project");
    if (!args.has("grid") && !args.has("range"))
        throw UsageError("give the values to search: --grid lr=1e-3,3e-3,1e-2, or --range lr=1e-4:1e-2:log "
                         "--samples 8 for random draws.");
    SearchSpec spec;
    std::vector<SearchSettings> combinations; // --bayes: the draws so far, each crossed with the grid
    std::optional<BayesSearch> bayes;
    size_t planned = 0; // the runs the search will train
    try {
        for (const std::string& text : args.values("grid")) spec.grid.push_back(parseSearchAxis(text));
        for (const std::string& text : args.values("range")) spec.ranges.push_back(parseSearchRange(text));
        spec.samples = int(args.intValue("samples", 0, 1, int64_t(kMostSearchRuns)));
        spec.sampleSeed = uint64_t(args.intValue("sample-seed", 0, 0, INT64_MAX));
        spec.bayes = bayesian;
        spec.halving = halving;
        if (const std::string problem = bayesProblem(spec); !problem.empty())
            throw Error("--bayes, --halving: " + problem);
        if (bayesian) {
            bayes.emplace(spec);
            combinations = bayes->plannedBounds(); // checked below; the search itself draws as it goes
            planned = bayes->runs();
        } else {
            combinations = planSearch(spec);
            planned = combinations.size();
        }
    } catch (const Error& e) {
        throw UsageError(e.what()); // a malformed option: exit 2 before anything is loaded
    }
    const std::string tag = args.value("tag", defaultSearchTag());
    if (tag.empty()) throw UsageError("--tag needs a name.");
    if (const std::string problem = labelProblem(tag, "a tag"); !problem.empty())
        throw UsageError("--tag: " + problem + ".");
    const std::string experiment = args.value("experiment", "default");
    if (const std::string problem = labelProblem(experiment, "an experiment name"); !problem.empty())
        throw UsageError("--experiment: " + problem + ".");
    Project project = Project::load(projectPath);
    for (const auto& kv : args.values("set")) {
        const std::string key = setOptionKey(kv);
        for (const auto& searched : combinations.front()) // every combination has the same keys
            if (searched.first == key)
                throw UsageError("--set " + kv + ": " + searched.first + " is searched too; give it once.");
        applySetOption(project.config, kv);
    }
    project.config.validate();
    if (halving)
        if (const std::string problem = halvingProblem(project.config, combinations); !problem.empty())
            throw UsageError("--halving: " + problem);
    try {
        // Every value (--bayes: its start and its ranges' ends), before the first run trains.
        checkSearch(project.config, combinations);
    } catch (const Error& e) {
        throw UsageError(e.what());
    }
    if (bayes) combinations.clear();
    RunStore store(databasePath(args), RunStore::Access::ReadWrite);
    store.markStaleRunsInterrupted();
    const bool quiet = args.has("quiet");
    const std::vector<RunRecord> tagged = runsTagged(store, tag); // an earlier search's, reused when finished
    const std::vector<TaggedRun> finished = finishedRuns(store, tagged);
    if (!quiet)
        std::fprintf(stderr, "radapter search: %zu run%s, tagged %s%s\n", planned, planned == 1 ? "" : "s", tag.c_str(),
                     tagged.empty() ? "" : " (the runs an earlier search with this tag finished are reused)");

    std::string idSet;
    bool failed = false, stopped = false;
    // Combination I trained in this process: a new run, or RUN's continued from its checkpoint;
    // stopped after step STOP_AFTER when > 0 (a halving rung). Prints what train prints.
    struct Trained {
        int64_t run = 0;
        RunStatus status = RunStatus::Failed;
        RunSummary summary;
        double rungAccuracy = -1; // stopped at a rung: ID accuracy there (fraction)
    };
    auto projectOf = [&](size_t i) {
        Project p = project;
        for (const auto& [key, value] : combinations[i]) p.config.applySetting(key, value);
        p.config.threads = threadsFor(p.config);
        return p;
    };
    auto trainOne = [&](size_t i, int64_t run, int stopAfter) {
        const SearchSettings& settings = combinations[i];
        const Project p = projectOf(i);
        const auto started = std::chrono::steady_clock::now();
        TrainingSession session(p);
        const bool resume = run > 0;
        RunRecorder recorder = resume
            ? RunRecorder::resume(store, run)
            : RunRecorder::start(store, p, experiment, p.name + " [" + describeSettings(settings) + "]");
        if (!resume) store.addTag(recorder.id(), tag);
        std::string to = stopAfter > 0 ? "  to step " + std::to_string(stopAfter) : std::string();
        if (!quiet)
            std::fprintf(stderr, "search %zu/%zu  %s  run %lld%s%s\n", i + 1, planned,
                         describeSettings(settings).c_str(), static_cast<long long>(recorder.id()),
                         resume ? "  continued" : "", to.c_str());
        // The run's progress as train prints it: a run may take minutes.
        const RecordedTraining trained = trainRecorded(session, recorder, quiet, resume, stopAfter);
        Trained out;
        out.run = recorder.id();
        out.status = trained.outcome.status;
        stopped = StopSignals::requested();
        if (out.status == RunStatus::Interrupted && !stopped && stopAfter > 0) {
            // At the rung: its ID accuracy at the run's alpha, what the next rung is chosen on.
            out.rungAccuracy = recorder.rungScore(session, stopAfter);
            idSet = session.idSetName();
        }
        out.summary = summarizeRun(store, out.run);
        if (!out.summary.idSet.empty()) idSet = out.summary.idSet;
        failed = failed || out.status == RunStatus::Failed;
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (!quiet) {
            char result[160] = "not evaluated";
            if (out.rungAccuracy >= 0)
                std::snprintf(result, sizeof result, "at alpha %g: ID %s %s", session.config().evalAlpha(),
                              session.idSetName().c_str(), percent(out.rungAccuracy).c_str());
            else if (out.summary.lastId >= 0)
                std::snprintf(result, sizeof result, "at alpha %g: ID %s %s, OOD avg %s", out.summary.alpha,
                              out.summary.idSet.c_str(), percent(out.summary.lastId).c_str(),
                              percent(out.summary.lastOod).c_str());
            std::fprintf(stderr, "search %zu/%zu  %s  run %lld  %s  %s  (%.0f s)%s%s\n", i + 1, planned,
                         describeSettings(settings).c_str(), static_cast<long long>(out.run),
                         out.rungAccuracy >= 0 ? ("at step " + std::to_string(stopAfter)).c_str()
                                               : runStatusName(out.status),
                         result, seconds, trained.outcome.message.empty() || out.rungAccuracy >= 0 ? "" : ": ",
                         out.rungAccuracy >= 0 ? "" : trained.outcome.message.c_str());
        }
        return out;
    };
    // Combination I as an earlier search with this tag finished it, if it did.
    auto reused = [&](size_t i) -> std::optional<Trained> {
        const auto earlier = runOf(finished, projectOf(i));
        if (!earlier) return std::nullopt;
        Trained out;
        out.run = *earlier;
        out.status = RunStatus::Finished;
        out.summary = summarizeRun(store, *earlier);
        if (!out.summary.idSet.empty()) idSet = out.summary.idSet;
        if (!quiet)
            std::fprintf(stderr, "search %zu/%zu  %s  run %lld  finished earlier: reused\n", i + 1, planned,
                         describeSettings(combinations[i]).c_str(), static_cast<long long>(*earlier));
        return out;
    };

    std::vector<SearchRun> runs;
    json rungsJson = json::array(), drawsJson = json::array();
    auto trainFrom = [&](size_t i) { // combination I, reused where an earlier search finished it
        const Trained t = reused(i).value_or(Trained{});
        const Trained done = t.run > 0 ? t : trainOne(i, 0, 0);
        runs.push_back({combinations[i], done.run, done.status == RunStatus::Finished, done.summary.lastId,
                        done.summary.lastOod, done.summary.alpha});
    };
    if (bayes) {
        // One draw at a time, each crossed with the grid; its score (the mean of its runs' ID
        // accuracy) is what the model chooses the next draw from.
        while (!stopped && !bayes->done()) {
            const size_t draw = bayes->drawn(), first = combinations.size();
            for (SearchSettings& s : bayes->next()) combinations.push_back(std::move(s));
            if (!quiet)
                std::fprintf(stderr, "radapter search: draw %zu of %zu, %s\n", draw + 1, bayes->draws(),
                             bayes->suggested(draw)
                                 ? ("chosen by TPE from the " + std::to_string(draw) + " scores before it").c_str()
                                 : "at random (the start)");
            for (size_t i = first; i < combinations.size() && !stopped; ++i) trainFrom(i);
            if (stopped) break;
            bayes->recordLastDraw(runs);
            drawsJson.push_back({{"settings", settingsJson(withoutSeed(combinations[first]))},
                                 {"score", bayes->score(draw)},
                                 {"chosen_by", bayes->suggested(draw) ? "tpe" : "random"}});
        }
    } else if (!halving) {
        for (size_t i = 0; i < combinations.size() && !stopped; ++i) trainFrom(i);
    } else {
        HalvingSearch search(combinations, project.config.steps);
        auto record = [&](size_t i, const Trained& t) {
            const bool finished = t.status == RunStatus::Finished;
            search.record(i, t.run, finished, finished ? t.summary.lastId : t.rungAccuracy);
            search.describe(i, t.summary.lastId, t.summary.lastOod, t.summary.alpha);
        };
        // An earlier halving search with this tag: its finished runs are reused, its interrupted
        // ones (cut, or stopped) continue from their checkpoints, scored where they reached a rung.
        for (const TakenUp& t : takeUpEarlierRuns(search, store, finished, interruptedRuns(store, tagged), projectOf)) {
            if (!t.summary.idSet.empty()) idSet = t.summary.idSet;
            if (quiet) continue;
            const std::string how = t.finished
                ? std::string("finished earlier: reused")
                : "interrupted earlier at step " + std::to_string(t.run->steps) + ": continued";
            std::fprintf(stderr, "search %zu/%zu  %s  run %lld  %s\n", t.combination + 1, combinations.size(),
                         describeSettings(combinations[t.combination]).c_str(), static_cast<long long>(t.run->id),
                         how.c_str());
        }
        while (!stopped && !search.done()) {
            if (!quiet && search.next())
                std::fprintf(stderr, "radapter search: rung %zu of %zu, %zu combination%s to step %d\n",
                             search.rung() + 1, search.rungs().size(), search.armsLeft(),
                             search.armsLeft() == 1 ? "" : "s", search.rungs()[search.rung()]);
            while (const auto job = search.next()) {
                record(job->combination, trainOne(job->combination, job->run, job->stopAfter));
                if (stopped) break;
            }
            if (stopped || search.done()) break;
            for (const HalvingSearch::Cut& cut : search.endRung(idSet)) // interrupted with why, resumable by hand
                store.setStatus(cut.run, RunStatus::Interrupted, cut.message);
            const HalvingSearch::Rung& rung = search.history().back();
            json scores = json::array();
            std::string kept;
            for (size_t k = 0; k < rung.scores.size(); ++k) {
                scores.push_back({{"settings", settingsJson(rung.scores[k].first)},
                                  {"id", rung.scores[k].second},
                                  {"kept", k < rung.kept}});
                if (k < rung.kept) kept += (kept.empty() ? "" : "; ") + describeSettings(rung.scores[k].first);
            }
            rungsJson.push_back(
                {{"step", rung.step}, {"combinations", rung.scores.size()}, {"kept", rung.kept}, {"scores", scores}});
            if (!quiet)
                std::fprintf(stderr, "radapter search: at step %d the best %zu of %zu go on: %s\n", rung.step,
                             rung.kept, rung.scores.size(), kept.c_str());
        }
        runs = search.runs();
    }
    if (stopped)
        std::fprintf(stderr, "radapter search: stopped after %zu of %zu runs; the rest did not start.\n", runs.size(),
                     planned);

    const std::vector<SearchGroup> ranked = rankSearch(runs);
    // Which searched settings mattered to the finished runs' ID accuracy (three runs or more).
    std::vector<std::map<std::string, std::string>> searched;
    std::vector<double> idAccuracy;
    for (const SearchRun& r : runs)
        if (r.finished && r.idAccuracy >= 0) {
            searched.emplace_back(r.settings.begin(), r.settings.end());
            idAccuracy.push_back(r.idAccuracy);
        }
    const std::vector<SettingImportance> importance = settingImportance(searched, idAccuracy);
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
        json out = {{"tag", tag},         {"ranked_on", idSet}, {"runs", runs.size()},
                    {"planned", planned}, {"groups", groups},   {"best", best ? settingsJson(best->settings) : json()}};
        if (halving) out["halving"] = rungsJson; // each rung: its step, the scores, which went on
        if (bayes) out["bayes"] = drawsJson;     // each draw: its settings, its score, how it was chosen
        json weighed = json::array();
        for (const SettingImportance& i : importance)
            weighed.push_back({{"setting", i.setting},
                               {"importance", i.importance},
                               {"correlation", i.correlation ? json(*i.correlation) : json()},
                               {"groups", i.groups}});
        out["importance"] = weighed; // of the finished runs' ID accuracy
        std::cout << out.dump(2) << "\n";
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
        if (!importance.empty()) {
            std::cout << "what mattered to ID " << idSet << " accuracy over " << idAccuracy.size()
                      << " finished runs (importance: the share of its variance the setting explains; "
                         "correlation: Spearman's):\n";
            for (const SettingImportance& i : importance) {
                char line[160];
                std::snprintf(line, sizeof line, "  %-12s importance %3.0f %%", i.setting.c_str(), 100 * i.importance);
                std::cout << line;
                if (i.correlation) {
                    std::snprintf(line, sizeof line, "   correlation %+.2f", *i.correlation);
                    std::cout << line;
                }
                std::cout << "\n";
            }
        }
        if (idSet == "test")
            std::cout << "(the project has no ID validation set: ranked on the ID test set, which then no longer "
                         "measures the chosen settings fairly)\n";
    }
    return failed ? 1 : 0;
}

} // namespace ra::cli
