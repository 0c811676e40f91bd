#pragma once
// A search's runs in the run store: the runs tagged with its tag, and among them the finished run
// of one combination, so that the same search started again (after a stop, or with values added)
// reuses what it finished instead of training it twice. Used by `radapter search` and the Studio's
// Run ▸ Search… alike. Torch-free.
#include "config/halvingsearch.h"
#include "project/project.h"
#include "store/runstore.h"
#include "store/runsummary.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ra {

// The runs tagged TAG, oldest first.
std::vector<RunRecord> runsTagged(const RunStore& store, const std::string& tag);

// The finished runs among TAGGED with what runOf compares, read from STORE once: a search
// of hundreds of runs started again compared every combination with every run's stored settings,
// a query and a path resolution each.
struct TaggedRun {
    int64_t id = 0;
    std::string project; // the project file, resolved
    std::map<std::string, std::string> params;
    int64_t steps = 0;                   // the steps it has trained (its last loss)
    std::map<int, double> halvingScores; // a halving search's ID accuracy at each rung it reached, by step
};
std::vector<TaggedRun> finishedRuns(const RunStore& store, const std::vector<RunRecord>& tagged);
// The interrupted ones (a halving search's cut runs, a search stopped with Ctrl-C), which a halving
// search started again continues from their checkpoints instead of training anew.
std::vector<TaggedRun> interruptedRuns(const RunStore& store, const std::vector<RunRecord>& tagged);

// The run among RUNS that trained P: the same project file and every setting but the thread count
// equal (as the store keeps them, so 1e-3 and 0.001 are one value). The latest when there are several.
std::optional<int64_t> runOf(const std::vector<TaggedRun>& runs, const Project& p);
// The same, with what was read of it.
const TaggedRun* taggedRunOf(const std::vector<TaggedRun>& runs, const Project& p);

// The metric a halving search records at a rung: the ID set's accuracy there ("halving/val").
std::string halvingMetric(const std::string& idSet);

// A halving search started again with its tag takes up what it has: for each combination of
// SEARCH (PROJECT_OF gives its project), its run among FINISHED is recorded as done, or else its
// run among INTERRUPTED is adopted (continued from its checkpoint, its stored rung scores taken),
// each described by its stored summary (STORE). Returns what was taken up, in combination order.
struct TakenUp {
    size_t combination = 0;
    const TaggedRun* run = nullptr;
    bool finished = false;
    RunSummary summary;
};
std::vector<TakenUp> takeUpEarlierRuns(HalvingSearch& search, const RunStore& store,
                                       const std::vector<TaggedRun>& finished,
                                       const std::vector<TaggedRun>& interrupted,
                                       const std::function<Project(size_t)>& projectOf);

} // namespace ra
