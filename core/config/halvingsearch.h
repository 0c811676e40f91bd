#pragma once
// The bookkeeping of a successive-halving search (config/searchgrid.h: halvingRungs), for a
// front end that trains one run at a time — `radapter search --halving` in a loop, the Studio's
// Run ▸ Search… between its worker's signals — so both cut the same combinations for the same
// reasons. The combinations without their seed are the arms; an arm's score at a rung is the mean
// of its runs' ID accuracy there (a run that finished before the rung: its final one). Torch-free.
#include "config/searchgrid.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ra {

class HalvingSearch {
public:
    // COMBINATIONS as planSearch gives them, each to train STEPS steps in all.
    HalvingSearch(std::vector<SearchSettings> combinations, int steps);

    struct Job {
        size_t combination = 0;
        int64_t run = 0;   // 0: a new run; else the run to continue from its checkpoint
        int stopAfter = 0; // the rung's step; 0 at the last rung (train to the end)
    };
    // The next run to train at the current rung, or none when the rung is done (endRung next) or
    // the search is (done()).
    std::optional<Job> next() const;

    // What training COMBINATION ended as: its RUN, FINISHED (the whole run, early stopping
    // included) or stopped at the rung, and SCORE: its ID accuracy there or its final one (-1:
    // none, a failed run; it ranks last). A reused run (an earlier search's, finished) is
    // recorded the same way before the first job.
    void record(size_t combination, int64_t run, bool finished, double score);
    // An earlier search's interrupted RUN of COMBINATION (cut at a rung, or stopped): it continues
    // from its checkpoint instead of starting anew, and where SCORES (by step: the scores the
    // front end stored with the run at each rung, searchruns.h's halvingMetric) hold a rung's,
    // that rung takes it without training.
    void adopt(size_t combination, int64_t run, const std::map<int, double>& scores);

    // A run stopped at the rung that goes no further: its run and why, for its stored message.
    struct Cut {
        int64_t run = 0;
        std::string message;
    };
    // One rung's outcome: the arms' scores best first, the first KEPT went on.
    struct Rung {
        int step = 0;
        std::vector<std::pair<SearchSettings, double>> scores; // settings without the seed, best first
        size_t kept = 0;
    };
    // Ends the current rung once next() has nothing left: ranks its arms by score, keeps the best
    // third (halvingSurvivors), and returns the runs cut (ID_SET names the accuracy in their
    // messages). Then next() gives the next rung's jobs.
    std::vector<Cut> endRung(const std::string& idSet);

    bool done() const; // the last rung has no job left
    const std::vector<int>& rungs() const { return m_rungs; }
    size_t rung() const { return m_rung; }                         // the current one, from 0
    size_t armsLeft() const { return m_alive.size(); }             // at the current rung
    const std::vector<Rung>& history() const { return m_history; } // the rungs ended so far
    const std::vector<SearchSettings>& combinations() const { return m_combinations; }

    // Every combination that has a run, as the search's ranking takes them (finished or not).
    std::vector<SearchRun> runs() const;
    // Sets the OOD average and alpha of COMBINATION's run for runs() (what the store summarises).
    void describe(size_t combination, double idAccuracy, double oodAverage, double alpha);

private:
    struct State {
        int64_t run = 0;
        bool finished = false;
        int trainedTo = 0; // the rung step it was last trained to (0: not yet)
        double score = -1;
        double idAccuracy = -1, oodAverage = -1, alpha = 1;
        std::map<int, double> known; // adopted: its scores at earlier rungs, by step
    };
    std::vector<SearchSettings> m_combinations;
    int m_steps;
    std::vector<int> m_rungs;
    std::vector<std::vector<size_t>> m_arms; // combination indices, by arm
    std::vector<size_t> m_alive;             // arms at the current rung
    std::vector<State> m_state;
    size_t m_rung = 0;
    std::vector<Rung> m_history;
};

} // namespace ra
