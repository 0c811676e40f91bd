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

std::optional<int64_t> finishedRunOf(const RunStore& store, const std::vector<RunRecord>& tagged, const Project& p)
{
    std::error_code ec;
    const auto canonical = [&ec](const std::string& path) {
        return std::filesystem::weakly_canonical(path, ec).string();
    };
    const std::string project = canonical(p.path);
    const auto wanted = p.config.toParams();
    std::optional<int64_t> found;
    for (const RunRecord& r : tagged) {
        if (r.status != RunStatus::Finished || canonical(r.projectPath) != project) continue;
        const auto stored = store.params(r.id);
        const bool same = std::all_of(wanted.begin(), wanted.end(), [&](const auto& kv) {
            const auto it = stored.find(kv.first);
            return kv.first == "threads" || (it != stored.end() && it->second == kv.second);
        });
        if (same) found = r.id; // oldest first: the last match is the latest
    }
    return found;
}

} // namespace ra
