#pragma once
// A search's runs in the run store: the runs tagged with its tag, and among them the finished run
// of one combination, so that the same search started again (after a stop, or with values added)
// reuses what it finished instead of training it twice. Used by `radapter search` and the Studio's
// Run ▸ Search… alike. Torch-free.
#include "project/project.h"
#include "store/runstore.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ra {

// The runs tagged TAG, oldest first.
std::vector<RunRecord> runsTagged(const RunStore& store, const std::string& tag);

// The finished runs among TAGGED with what finishedRunOf compares, read from STORE once: a search
// of hundreds of runs started again compared every combination with every run's stored settings,
// a query and a path resolution each.
struct FinishedRun {
    int64_t id = 0;
    std::string project; // the project file, resolved
    std::map<std::string, std::string> params;
};
std::vector<FinishedRun> finishedRuns(const RunStore& store, const std::vector<RunRecord>& tagged);

// The finished run among FINISHED that trained P: the same project file and every setting but the
// thread count equal (as the store keeps them, so 1e-3 and 0.001 are one value). The latest when
// there are several.
std::optional<int64_t> finishedRunOf(const std::vector<FinishedRun>& finished, const Project& p);

} // namespace ra
