#include "store/searchruns.h"

#include <algorithm>
#include <filesystem>

namespace ra {

std::vector<RunRecord> runsTagged(const RunStore& store, const std::string& tag)
{
    std::vector<RunRecord> tagged;
    for (const RunRecord& r : store.listRuns())
        if (std::find(r.tags.begin(), r.tags.end(), tag) != r.tags.end()) tagged.push_back(r);
    std::sort(tagged.begin(), tagged.end(), [](const RunRecord& a, const RunRecord& b) { return a.id < b.id; });
    return tagged;
}

namespace {

std::string resolved(const std::string& path)
{
    std::error_code ec;
    return std::filesystem::weakly_canonical(path, ec).string();
}

} // namespace

namespace {

constexpr const char* kHalvingPrefix = "halving/"; // halvingMetric's keys

std::vector<TaggedRun> runsWith(const RunStore& store, const std::vector<RunRecord>& tagged, RunStatus status)
{
    std::vector<TaggedRun> out;
    for (const RunRecord& r : tagged) {
        if (r.status != status) continue;
        TaggedRun t{r.id, resolved(r.projectPath), store.params(r.id), 0, {}};
        if (status == RunStatus::Interrupted)                  // how far it got, and where a halving search scored it
            for (const MetricPoint& m : store.metrics(r.id)) { // by step
                if (m.key == "loss") t.steps = m.step;
                else if (m.key.rfind(kHalvingPrefix, 0) == 0) t.halvingScores[int(m.step)] = m.value;
            }
        out.push_back(std::move(t));
    }
    return out;
}

} // namespace

std::vector<TaggedRun> finishedRuns(const RunStore& store, const std::vector<RunRecord>& tagged)
{
    return runsWith(store, tagged, RunStatus::Finished);
}

std::vector<TaggedRun> interruptedRuns(const RunStore& store, const std::vector<RunRecord>& tagged)
{
    return runsWith(store, tagged, RunStatus::Interrupted);
}

const TaggedRun* taggedRunOf(const std::vector<TaggedRun>& runs, const Project& p)
{
    const std::string project = resolved(p.path);
    const auto wanted = p.config.toParams();
    // A run recorded before a setting existed ran with that setting's default.
    static const auto defaults = TrainConfig{}.toParams();
    const TaggedRun* found = nullptr;
    for (const TaggedRun& r : runs) {
        if (r.project != project) continue;
        const bool same = std::all_of(wanted.begin(), wanted.end(), [&](const auto& kv) {
            const auto it = r.params.find(kv.first);
            const std::string& stored = it != r.params.end() ? it->second : defaults.at(kv.first);
            return kv.first == "threads" || stored == kv.second;
        });
        if (same) found = &r; // oldest first: the last match is the latest
    }
    return found;
}

std::optional<int64_t> runOf(const std::vector<TaggedRun>& runs, const Project& p)
{
    const TaggedRun* r = taggedRunOf(runs, p);
    return r ? std::optional<int64_t>(r->id) : std::nullopt;
}

std::string halvingMetric(const std::string& idSet) { return kHalvingPrefix + idSet; }

std::vector<TakenUp> takeUpEarlierRuns(HalvingSearch& search, const RunStore& store,
                                       const std::vector<TaggedRun>& finished,
                                       const std::vector<TaggedRun>& interrupted,
                                       const std::function<Project(size_t)>& projectOf)
{
    std::vector<TakenUp> out;
    for (size_t i = 0; i < search.combinations().size(); ++i) {
        const Project p = projectOf(i);
        const TaggedRun* done = taggedRunOf(finished, p);
        const TaggedRun* run = done ? done : taggedRunOf(interrupted, p);
        if (!run) continue;
        TakenUp t{i, run, done != nullptr, summarizeRun(store, run->id)};
        if (t.finished) search.record(i, run->id, true, t.summary.lastId);
        else search.adopt(i, run->id, run->halvingScores);
        search.describe(i, t.summary.lastId, t.summary.lastOod, t.summary.alpha);
        out.push_back(std::move(t));
    }
    return out;
}

} // namespace ra
