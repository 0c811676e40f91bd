#include "config/searchgrid.h"

#include "data/csvfields.h"
#include "util/error.h"
#include "util/meanstd.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <set>

namespace ra {
namespace {

SearchSettings withoutSeed(const SearchSettings& settings)
{
    SearchSettings out;
    for (const auto& kv : settings)
        if (kv.first != "seed") out.push_back(kv);
    return out;
}

} // namespace

SearchAxis parseSearchAxis(const std::string& text)
{
    const size_t eq = text.find('=');
    if (eq == std::string::npos || trimBlanks(text.substr(0, eq)).empty())
        throw Error("--grid needs key=value,value,..., got '" + text + "'.");
    SearchAxis axis{trimBlanks(text.substr(0, eq)), {}};
    const std::string list = text.substr(eq + 1);
    size_t begin = 0;
    while (begin <= list.size()) {
        const size_t end = std::min(list.find(',', begin), list.size());
        const std::string value = trimBlanks(list.substr(begin, end - begin));
        if (value.empty()) throw Error("--grid " + text + ": an empty value; give values such as lr=1e-3,3e-3.");
        if (std::find(axis.values.begin(), axis.values.end(), value) != axis.values.end())
            throw Error("--grid " + text + ": the value " + value + " is listed twice.");
        axis.values.push_back(value);
        begin = end + 1;
    }
    return axis;
}

std::vector<SearchSettings> expandSearch(const std::vector<SearchAxis>& axes)
{
    std::set<std::string> keys;
    size_t count = 1;
    for (const SearchAxis& axis : axes) {
        if (!keys.insert(axis.key).second) throw Error("--grid: the setting " + axis.key + " is given twice.");
        count *= axis.values.size();
        if (count > kMostSearchRuns)
            throw Error("--grid: more than " + std::to_string(kMostSearchRuns) +
                        " combinations; search fewer values at a time.");
    }
    std::vector<SearchSettings> combinations{SearchSettings{}};
    for (const SearchAxis& axis : axes) {
        std::vector<SearchSettings> next;
        for (const SearchSettings& partial : combinations)
            for (const std::string& value : axis.values) {
                SearchSettings s = partial;
                s.emplace_back(axis.key, value);
                next.push_back(std::move(s));
            }
        combinations = std::move(next);
    }
    return combinations;
}

void checkSearch(const TrainConfig& base, const std::vector<SearchSettings>& combinations)
{
    for (const SearchSettings& settings : combinations) {
        try {
            TrainConfig config = base;
            for (const auto& [key, value] : settings) config.applySetting(key, value);
            config.validate();
        } catch (const Error& e) {
            throw Error("--grid " + describeSettings(settings) + ": " + e.what());
        }
    }
}

std::string defaultSearchTag()
{
    const std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "search-%Y%m%d-%H%M%S", std::gmtime(&t));
    return buf;
}

std::string describeSettings(const SearchSettings& settings, bool withoutSeedKey)
{
    std::string text;
    for (const auto& [key, value] : withoutSeedKey ? withoutSeed(settings) : settings)
        text += (text.empty() ? "" : " ") + key + "=" + value;
    return text;
}

std::vector<SearchGroup> rankSearch(const std::vector<SearchRun>& runs)
{
    std::vector<SearchGroup> groups;
    std::map<SearchSettings, size_t> index;
    std::map<size_t, std::vector<double>> ids, oods;
    for (const SearchRun& r : runs) {
        const SearchSettings key = withoutSeed(r.settings);
        auto [it, added] = index.try_emplace(key, groups.size());
        if (added) groups.push_back(SearchGroup{key, {}, -1, 0, -1, 0, r.alpha});
        SearchGroup& g = groups[it->second];
        g.runs.push_back(r.run);
        if (!r.finished || r.idAccuracy < 0) continue;
        ++g.finished;
        ids[it->second].push_back(r.idAccuracy);
        if (r.oodAverage >= 0) oods[it->second].push_back(r.oodAverage);
    }
    for (size_t i = 0; i < groups.size(); ++i) {
        if (ids[i].empty()) continue;
        const MeanStd id = meanStd(ids[i]);
        groups[i].idMean = id.mean;
        groups[i].idStd = id.std;
        groups[i].oodMean = oods[i].empty() ? -1 : meanStd(oods[i]).mean;
    }
    std::stable_sort(groups.begin(), groups.end(), [](const SearchGroup& a, const SearchGroup& b) {
        const bool aComplete = a.finished == int(a.runs.size()), bComplete = b.finished == int(b.runs.size());
        if (aComplete != bComplete) return aComplete;
        return a.idMean > b.idMean;
    });
    return groups;
}

} // namespace ra
