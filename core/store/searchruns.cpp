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

std::vector<FinishedRun> finishedRuns(const RunStore& store, const std::vector<RunRecord>& tagged)
{
    std::vector<FinishedRun> finished;
    for (const RunRecord& r : tagged)
        if (r.status == RunStatus::Finished) finished.push_back({r.id, resolved(r.projectPath), store.params(r.id)});
    return finished;
}

std::optional<int64_t> finishedRunOf(const std::vector<FinishedRun>& finished, const Project& p)
{
    const std::string project = resolved(p.path);
    const auto wanted = p.config.toParams();
    // A run recorded before a setting existed ran with that setting's default.
    static const auto defaults = TrainConfig{}.toParams();
    std::optional<int64_t> found;
    for (const FinishedRun& r : finished) {
        if (r.project != project) continue;
        const bool same = std::all_of(wanted.begin(), wanted.end(), [&](const auto& kv) {
            const auto it = r.params.find(kv.first);
            const std::string& stored = it != r.params.end() ? it->second : defaults.at(kv.first);
            return kv.first == "threads" || stored == kv.second;
        });
        if (same) found = r.id; // oldest first: the last match is the latest
    }
    return found;
}

} // namespace ra
