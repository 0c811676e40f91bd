#include "config/bayessearch.h"

#include "config/tpe.h"
#include "util/error.h"
#include "util/meanstd.h"
#include "util/numbertext.h"
#include "util/portabledraws.h"

#include <algorithm>

namespace ra {

std::string bayesProblem(const SearchSpec& spec)
{
    return spec.bayes && spec.halving ? "Bayesian draws follow the results before them and successive halving needs "
                                        "every combination from the start: choose one of them."
                                      : std::string();
}

BayesSearch::BayesSearch(SearchSpec spec) : m_spec(std::move(spec))
{
    if (m_spec.ranges.empty()) throw Error("--bayes chooses values from ranges: give one with --range key=low:high.");
    // The random search of the same draws checks what it must (keys, counts, and that the ranges
    // hold SAMPLES different draws); its first draws are the start.
    const std::vector<SearchSettings> random = planSearch(m_spec);
    m_grid = expandSearch(m_spec.grid);
    for (size_t i = 0; i < startupDraws(draws()); ++i) {
        const SearchSettings& first = random[i * m_grid.size()]; // the draw's settings, then the grid's
        m_startup.emplace_back(first.begin(), first.begin() + long(m_spec.ranges.size()));
    }
}

size_t BayesSearch::startupDraws(size_t draws) { return std::min(draws, std::max<size_t>(3, (draws + 3) / 4)); }

std::vector<SearchSettings> BayesSearch::next()
{
    if (done()) return {};
    const size_t i = drawn();
    if (m_scores.size() < i) throw Error("the search's last draw has no score yet.");
    auto settingsAt = [&](const std::vector<double>& point) {
        SearchSettings s;
        for (size_t d = 0; d < m_spec.ranges.size(); ++d)
            s.emplace_back(m_spec.ranges[d].key, rangeValue(m_spec.ranges[d], point[d]));
        return s;
    };
    SearchSettings draw;
    if (i < m_startup.size()) {
        draw = m_startup[i];
    } else {
        std::vector<TpeTrial> trials;
        for (size_t k = 0; k < i; ++k) {
            TpeTrial t;
            for (size_t d = 0; d < m_spec.ranges.size(); ++d)
                t.point.push_back(rangeFraction(m_spec.ranges[d], *finiteNumberFrom(m_drawn[k][d].second)));
            t.score = m_scores[k];
            trials.push_back(std::move(t));
        }
        // Each draw its own seed, from the search's and its place: the same draw every time.
        const uint64_t seed = m_spec.sampleSeed * 0x100000001b3ULL + 0x51ed27f1ULL * (i + 1);
        const auto point = suggestTpe(trials, seed,
                                      [&](const std::vector<double>& p) { return !m_seen.count(settingsAt(p)); });
        if (!point.empty()) {
            draw = settingsAt(point);
        } else { // every candidate repeated a draw (small whole-number ranges): a new one at random
            PortableDraws fallback{seed ^ 0x9e3779b97f4a7c15ULL};
            for (int attempt = 0; attempt < 1000 && draw.empty(); ++attempt) {
                std::vector<double> p;
                for (size_t d = 0; d < m_spec.ranges.size(); ++d) p.push_back(fallback.next());
                if (!m_seen.count(settingsAt(p))) draw = settingsAt(p);
            }
            if (draw.empty())
                throw Error("--samples " + std::to_string(m_spec.samples) + ": the ranges hold only " +
                            std::to_string(i) + " different draws; draw fewer.");
        }
    }
    m_seen.insert(draw);
    m_drawn.push_back(draw);
    return crossedWithGrid(draw, m_grid);
}

void BayesSearch::record(double score)
{
    if (m_scores.size() + 1 != m_drawn.size()) throw Error("the search has no draw waiting for its score.");
    m_scores.push_back(score);
}

void BayesSearch::recordLastDraw(const std::vector<SearchRun>& runs)
{
    if (runs.size() < m_grid.size()) throw Error("the search's last draw has not run yet.");
    std::vector<double> finished;
    for (auto r = runs.end() - long(m_grid.size()); r != runs.end(); ++r)
        if (r->finished && r->idAccuracy >= 0) finished.push_back(r->idAccuracy);
    record(finished.empty() ? -1 : meanStd(finished).mean);
}

std::vector<SearchSettings> BayesSearch::plannedBounds() const
{
    std::vector<SearchSettings> out;
    for (const SearchSettings& draw : m_startup)
        for (SearchSettings& s : crossedWithGrid(draw, m_grid)) out.push_back(std::move(s));
    for (const double end : {0.0, 1.0}) {
        SearchSettings draw;
        for (const SearchRange& r : m_spec.ranges) draw.emplace_back(r.key, rangeValue(r, end));
        for (SearchSettings& s : crossedWithGrid(draw, m_grid)) out.push_back(std::move(s));
    }
    return out;
}

} // namespace ra
