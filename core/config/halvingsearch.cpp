#include "config/halvingsearch.h"

#include "util/numbertext.h"

#include <algorithm>
#include <map>

namespace ra {
namespace {

std::string ordinal(size_t n)
{
    const size_t tens = n % 100, ones = n % 10;
    const char* suffix = tens >= 11 && tens <= 13 ? "th"
        : ones == 1                               ? "st"
        : ones == 2                               ? "nd"
        : ones == 3                               ? "rd"
                                                  : "th";
    return std::to_string(n) + suffix;
}

} // namespace

HalvingSearch::HalvingSearch(std::vector<SearchSettings> combinations, int steps)
    : m_combinations(std::move(combinations)), m_steps(steps), m_state(m_combinations.size())
{
    std::map<std::string, size_t> armOf;
    for (size_t i = 0; i < m_combinations.size(); ++i) {
        const auto [it, added] = armOf.try_emplace(describeSettings(m_combinations[i], true), m_arms.size());
        if (added) m_arms.emplace_back();
        m_arms[it->second].push_back(i);
    }
    m_rungs = halvingRungs(steps, m_arms.size());
    for (size_t a = 0; a < m_arms.size(); ++a) m_alive.push_back(a);
}

std::optional<HalvingSearch::Job> HalvingSearch::next() const
{
    const int step = m_rungs[m_rung];
    const bool last = m_rung + 1 == m_rungs.size();
    for (size_t a : m_alive)
        for (size_t i : m_arms[a]) {
            const State& s = m_state[i];
            if (s.finished || s.trainedTo >= step || s.known.count(step)) continue;
            return Job{i, s.run, last ? 0 : step};
        }
    return std::nullopt;
}

void HalvingSearch::record(size_t combination, int64_t run, bool finished, double score)
{
    State& s = m_state.at(combination);
    s.run = run;
    s.finished = finished;
    s.score = score;
    s.trainedTo = finished ? m_steps : m_rungs[m_rung]; // a failed run is not tried again at this rung
}

void HalvingSearch::adopt(size_t combination, int64_t run, const std::map<int, double>& scores)
{
    State& s = m_state.at(combination);
    s.run = run;
    s.known = scores;
}

void HalvingSearch::describe(size_t combination, double idAccuracy, double oodAverage, double alpha)
{
    State& s = m_state.at(combination);
    s.idAccuracy = idAccuracy;
    s.oodAverage = oodAverage;
    s.alpha = alpha;
}

std::vector<HalvingSearch::Cut> HalvingSearch::endRung(const std::string& idSet)
{
    if (m_rung + 1 >= m_rungs.size()) return {}; // the last rung cuts nothing: it trains to the end
    const int step = m_rungs[m_rung];
    for (size_t a : m_alive) // an adopted run scored at this rung before: that score
        for (size_t i : m_arms[a]) {
            State& s = m_state[i];
            if (!s.finished && s.trainedTo < step && s.known.count(step)) {
                s.score = s.known.at(step);
                s.trainedTo = step;
            }
        }
    std::vector<std::pair<double, size_t>> scored; // mean score, arm
    for (size_t a : m_alive) {
        double sum = 0;
        for (size_t i : m_arms[a]) sum += m_state[i].score;
        scored.push_back({sum / double(m_arms[a].size()), a});
    }
    std::stable_sort(scored.begin(), scored.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
    Rung rung;
    rung.step = step;
    rung.kept = halvingSurvivors(scored.size());
    std::vector<Cut> cuts;
    m_alive.clear();
    for (size_t k = 0; k < scored.size(); ++k) {
        const auto [score, a] = scored[k];
        rung.scores.push_back({withoutSeed(m_combinations[m_arms[a].front()]), score});
        if (k < rung.kept) {
            m_alive.push_back(a);
            continue;
        }
        for (size_t i : m_arms[a]) {
            const State& s = m_state[i];
            if (s.finished || s.run <= 0 || s.score < 0) continue; // finished, or failed: stays as it ended
            const std::string seeds = m_arms[a].size() > 1
                ? " (the mean of its " + std::to_string(m_arms[a].size()) + " seeds)"
                : "";
            const std::string why = "cut by successive halving at step " + std::to_string(rung.step) + " of " +
                std::to_string(m_steps) + ": ID " + idSet + " " + fixedNumberText(100 * score, 1) + " %" + seeds +
                ", " + ordinal(k + 1) + " of " + std::to_string(scored.size()) + "; the best " +
                std::to_string(rung.kept) + " went on. Resuming it trains it on.";
            cuts.push_back({s.run, why});
        }
    }
    m_history.push_back(std::move(rung));
    ++m_rung;
    return cuts;
}

bool HalvingSearch::done() const { return m_rung + 1 == m_rungs.size() && !next(); }

std::vector<SearchRun> HalvingSearch::runs() const
{
    std::vector<SearchRun> out;
    for (size_t i = 0; i < m_combinations.size(); ++i) {
        const State& s = m_state[i];
        if (s.run > 0) out.push_back({m_combinations[i], s.run, s.finished, s.idAccuracy, s.oodAverage, s.alpha});
    }
    return out;
}

} // namespace ra
