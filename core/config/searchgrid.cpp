#include "config/searchgrid.h"

#include "data/csvfields.h"
#include "util/error.h"
#include "util/meanstd.h"
#include "util/numbertext.h"
#include "util/portabledraws.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>
#include <optional>
#include <set>

namespace ra {

SearchSettings withoutSeed(const SearchSettings& settings)
{
    SearchSettings out;
    for (const auto& kv : settings)
        if (kv.first != "seed") out.push_back(kv);
    return out;
}

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

SearchRange parseSearchRange(const std::string& text)
{
    const std::string usage = "--range needs key=low:high or key=low:high:log, got '" + text + "'.";
    const size_t eq = text.find('=');
    if (eq == std::string::npos || trimBlanks(text.substr(0, eq)).empty()) throw Error(usage);
    std::vector<std::string> parts;
    const std::string rest = text.substr(eq + 1);
    for (size_t begin = 0; begin <= rest.size();) {
        const size_t end = std::min(rest.find(':', begin), rest.size());
        parts.push_back(trimBlanks(rest.substr(begin, end - begin)));
        begin = end + 1;
    }
    if (parts.size() < 2 || parts.size() > 3 || (parts.size() == 3 && parts[2] != "log")) throw Error(usage);
    SearchRange range{trimBlanks(text.substr(0, eq)), 0, 0, parts.size() == 3, true};
    double* ends[] = {&range.low, &range.high};
    for (int i = 0; i < 2; ++i) {
        const std::optional<double> end = finiteNumberFrom(parts[i]);
        if (!end) throw Error("--range " + text + ": '" + parts[i] + "' is not a number.");
        *ends[i] = *end;
        // Written as whole numbers ("100", not "1e2" or "100.0"): steps, batch and rank draw integers.
        range.whole = range.whole && wholeNumberFrom(parts[i]).has_value();
    }
    if (!(range.low < range.high)) throw Error("--range " + text + ": the low end must be below the high end.");
    if (range.logarithmic && range.low <= 0) throw Error("--range " + text + ": a log range must lie above 0.");
    return range;
}

namespace {

// The point a fraction U of the way from LOW to HIGH, in log space where LOGARITHMIC.
double between(double low, double high, double u, bool logarithmic)
{
    return logarithmic ? std::exp(std::log(low) + u * (std::log(high) - std::log(low))) : low + u * (high - low);
}

} // namespace

std::string rangeValue(const SearchRange& r, double u)
{
    if (r.whole) { // every whole number in [low, high] equally likely (or equally in log space)
        // low - 0.5 > 0 where logarithmic: whole and above 0.
        const double v = between(r.low - 0.5, r.high + 0.5, u, r.logarithmic);
        return std::to_string(static_cast<long long>(std::clamp(std::round(v), r.low, r.high)));
    }
    const double v = between(r.low, r.high, u, r.logarithmic);
    return numberText(v, 3);
}

double rangeFraction(const SearchRange& r, double value)
{
    const double low = r.whole ? r.low - 0.5 : r.low, high = r.whole ? r.high + 0.5 : r.high;
    const double u = r.logarithmic ? (std::log(value) - std::log(low)) / (std::log(high) - std::log(low))
                                   : (value - low) / (high - low);
    return std::clamp(u, 0.0, 1.0);
}

std::vector<SearchSettings> planSearch(const SearchSpec& spec)
{
    std::set<std::string> keys;
    for (const SearchAxis& axis : spec.grid) keys.insert(axis.key);
    for (const SearchRange& r : spec.ranges)
        if (!keys.insert(r.key).second) throw Error("--range: the setting " + r.key + " is given twice.");
    if (spec.ranges.empty()) {
        if (spec.samples > 0) throw Error("--samples draws from ranges: give one with --range key=low:high.");
        return expandSearch(spec.grid);
    }
    if (spec.samples <= 0) throw Error("--range draws samples: say how many with --samples N.");
    const std::vector<SearchSettings> grid = expandSearch(spec.grid);
    if (size_t(spec.samples) * grid.size() > kMostSearchRuns)
        throw Error("--samples: more than " + std::to_string(kMostSearchRuns) + " runs; draw fewer samples.");
    // Draws that repeat an earlier one (whole-number ranges are small) are drawn again.
    PortableDraws draws{spec.sampleSeed};
    std::set<SearchSettings> seen;
    std::vector<SearchSettings> samples;
    for (int attempt = 0; int(samples.size()) < spec.samples; ++attempt) {
        if (attempt >= 100 * spec.samples)
            throw Error("--samples " + std::to_string(spec.samples) + ": the ranges hold only " +
                        std::to_string(samples.size()) + " different draws; draw fewer.");
        SearchSettings drawn;
        for (const SearchRange& r : spec.ranges) drawn.emplace_back(r.key, rangeValue(r, draws.next()));
        if (seen.insert(drawn).second) samples.push_back(std::move(drawn));
    }
    std::vector<SearchSettings> combinations;
    for (const SearchSettings& sample : samples)
        for (SearchSettings& s : crossedWithGrid(sample, grid)) combinations.push_back(std::move(s));
    return combinations;
}

std::vector<SearchSettings> crossedWithGrid(const SearchSettings& draw, const std::vector<SearchSettings>& grid)
{
    std::vector<SearchSettings> out;
    for (const SearchSettings& g : grid) {
        SearchSettings s = draw;
        s.insert(s.end(), g.begin(), g.end());
        out.push_back(std::move(s));
    }
    return out;
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

std::string halvingProblem(const TrainConfig& base, const std::vector<SearchSettings>& combinations)
{
    if (base.epochs > 0)
        return "successive halving compares the combinations at steps of one schedule; set steps instead of "
               "epochs.";
    for (const auto& combination : combinations)
        for (const auto& [key, value] : combination)
            if (key == "steps" || key == "epochs")
                return "successive halving compares the combinations at the same steps; " + key +
                    " cannot be searched with it.";
    return {};
}

std::vector<int> halvingRungs(int steps, size_t arms)
{
    int rounds = 0;
    for (size_t left = arms; left > 1; left = halvingSurvivors(left)) ++rounds;
    std::vector<int> rungs;
    for (int k = rounds; k >= 0; --k) {
        const int rung = std::max(1, int(std::lround(double(steps) / std::pow(double(kHalvingRate), k))));
        if (rungs.empty() || rung > rungs.back()) rungs.push_back(std::min(rung, steps));
    }
    if (rungs.back() != steps) rungs.push_back(steps);
    return rungs;
}

size_t halvingSurvivors(size_t arms) { return (arms + kHalvingRate - 1) / kHalvingRate; }

int64_t halvingTrainingSteps(int steps, size_t arms, size_t runsPerArm)
{
    int64_t total = 0;
    int before = 0;
    for (int rung : halvingRungs(steps, arms)) {
        total += int64_t(arms) * int64_t(runsPerArm) * (rung - before);
        before = rung;
        arms = halvingSurvivors(arms);
    }
    return total;
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
