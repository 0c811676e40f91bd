#pragma once
// A Bayesian search of a search's ranges, for a front end that trains one run at a time
// (`radapter search --bayes`, the Studio's Run ▸ Search…): the first draws are the random
// search's (the same values for the same sample seed), every later one is chosen by the
// tree-structured Parzen estimator (config/tpe.h) from the scores of those before it, so the
// search spends its runs where the ID accuracy was best. Each draw is crossed with the grid (a
// grid of seeds repeats every draw, scored by their mean). The draws follow from the seed and the
// scores alone, so a search started again with its tag draws the same values and finds its runs.
// Torch-free.
#include "config/searchgrid.h"

#include <cstddef>
#include <set>
#include <string>
#include <vector>

namespace ra {

// Why SPEC cannot be searched the Bayesian way, or empty: its draws follow the results before
// them, so it cannot be combined with successive halving, which needs every combination at once.
std::string bayesProblem(const SearchSpec& spec);

class BayesSearch {
public:
    // SPEC's ranges (at least one), SAMPLES draws in all, SAMPLE_SEED. Throws ra::Error as
    // planSearch does for ranges without samples, a key given twice, too many runs, or ranges that
    // hold fewer different draws than SAMPLES.
    explicit BayesSearch(SearchSpec spec);

    // Random draws before the model takes over: a quarter of them, at least three (all of them
    // when there are fewer).
    static size_t startupDraws(size_t draws);

    size_t draws() const { return size_t(m_spec.samples); }
    size_t runs() const { return draws() * m_grid.size(); } // each draw crossed with the grid
    size_t drawn() const { return m_drawn.size(); }
    bool done() const { return drawn() == draws(); }
    // The next draw, crossed with the grid (empty when done()); once the draw before it has its
    // score (record). Throws ra::Error when the ranges hold no draw that was not tried yet.
    std::vector<SearchSettings> next();
    // Whether draw I came from the model, not the random start.
    bool suggested(size_t i) const { return i >= startupDraws(draws()); }
    // The last draw's score: its runs' mean final ID accuracy (a fraction; -1 when none finished,
    // which ranks below every other).
    void record(double score);
    // The same from the search's RUNS as they ended, in order (one per combination next gave):
    // the mean ID accuracy of the last draw's finished ones.
    void recordLastDraw(const std::vector<SearchRun>& runs);
    bool waitingForScore() const { return m_scores.size() < m_drawn.size(); }
    double score(size_t i) const { return m_scores.at(i); } // draw I's, once recorded

    // What checkSearch has to accept before the first run: the start-up draws and both ends of
    // every range, crossed with the grid; every later draw lies between them.
    std::vector<SearchSettings> plannedBounds() const;

private:
    SearchSpec m_spec;
    std::vector<SearchSettings> m_grid, m_startup;
    std::vector<SearchSettings> m_drawn; // the ranges' values of each draw so far
    std::vector<double> m_scores;
    std::set<SearchSettings> m_seen;
};

} // namespace ra
