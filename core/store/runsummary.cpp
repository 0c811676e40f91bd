#include "store/runsummary.h"

#include "config/trainconfig.h"
#include "util/numbertext.h"

#include <algorithm>
#include <climits>
#include <set>

namespace ra {

namespace {
// The set of an evaluation metric, "acc/SET" (during training) or "final/SET" (at the end).
std::string evaluatedSet(const std::string& key)
{
    for (const char* prefix : {"acc/", "final/"})
        if (key.rfind(prefix, 0) == 0) return key.substr(std::char_traits<char>::length(prefix));
    return {};
}
} // namespace

std::map<std::string, SetRole> storedSetRoles(const std::vector<MetricPoint>& metrics,
                                              const std::map<std::string, std::string>& params)
{
    std::map<std::string, SetRole> roles;
    for (const auto& m : metrics)
        if (const auto set = evaluatedSet(m.key); !set.empty()) roles.emplace(set, roleOfSet(set));
    for (const auto& [key, value] : params)
        if (key.rfind("set/", 0) == 0)
            if (const auto role = setRoleFromName(value)) roles[key.substr(4)] = *role;
    return roles;
}

double evaluationAlpha(const std::map<std::string, std::string>& params)
{
    try {
        if (const auto stored = params.find("eval_alpha"); stored != params.end())
            return finiteNumberFrom(stored->second).value();
        if (!params.count("method")) return 1; // nothing says it was re-scaled
        TrainConfig c;
        for (const char* key : {"method", "alpha"})
            if (const auto it = params.find(key); it != params.end()) c.applySetting(key, it->second);
        return c.evalAlpha();
    } catch (const std::exception&) {
        return 1; // a param no version wrote; the figures are then the run's own weights
    }
}

RunSummary summarizeRun(const RunStore& store, int64_t runId)
{
    return summarizeRun(store.summaryMetrics(runId), store.params(runId));
}

RunSummary summarizeRun(const std::vector<MetricPoint>& metrics, const std::map<std::string, std::string>& params)
{
    const auto roles = storedSetRoles(metrics, params);
    RunSummary s;
    s.alpha = evaluationAlpha(params);
    // One ID series, never validation and test mixed: validation when the run evaluated it.
    std::set<std::string> evaluated;
    for (const auto& m : metrics)
        if (const auto set = evaluatedSet(m.key); !set.empty()) evaluated.insert(set);
    for (const SetRole want : {SetRole::IdValidation, SetRole::IdTest})
        for (const auto& set : evaluated)
            if (roles.at(set) == want && s.idSet.empty()) s.idSet = set;
    // Evaluations in order: those during training by step, then the final one.
    std::map<int64_t, double> idAt;
    std::map<int64_t, std::pair<double, int>> oodAt; // (sum, count) of the OOD accuracies
    for (const auto& m : metrics) {
        s.steps = std::max(s.steps, m.step);
        const std::string set = evaluatedSet(m.key);
        if (set.empty()) continue;
        const int64_t order = m.key[0] == 'f' ? INT64_MAX : m.step;
        if (set == s.idSet) idAt[order] = m.value;
        else if (roles.at(set) == SetRole::Ood) oodAt[order].first += m.value, oodAt[order].second += 1;
    }
    for (const auto& [order, value] : idAt) s.lastId = value, s.bestId = std::max(s.bestId, value);
    for (const auto& [order, sumCount] : oodAt) {
        s.lastOod = sumCount.first / sumCount.second;
        s.bestOod = std::max(s.bestOod, s.lastOod);
    }
    return s;
}

} // namespace ra
