#pragma once
// One summary of a stored run for every view (the runs browser, `radapter runs list`): its last
// and best ID accuracy, its last and best OOD average, from the evaluations recorded during
// training (metrics acc/SET) and at its end (final/SET), with each set's stored role. Torch-free.
#include "eval/setrole.h"
#include "store/runstore.h"

#include <cstdint>
#include <map>
#include <string>

namespace ra {

struct RunSummary {
    // Fractions in [0, 1]; -1 when the run has no such evaluation.
    double lastId = -1, bestId = -1, lastOod = -1, bestOod = -1;
    int64_t steps = 0; // the last step with any metric
    std::string idSet; // where the ID figures come from: the validation set, else the test set
    // The re-scaling alpha those evaluations were made at (R-Adapter's 0.5 is not fine-tuning's 1,
    // so the figures of two runs compare only beside it).
    double alpha = 1;
};

// The alpha a run's evaluations were made at: its stored "eval_alpha" (recorded since
// 2026-12-04); for an older run what TrainConfig::evalAlpha gives for its "method" and "alpha"
// params, taking it for a classification run; 1 when it has neither.
double evaluationAlpha(const std::map<std::string, std::string>& params);

// Each evaluation set's role as the run stored it (params "set/NAME"); a run recorded before
// roles were stored gets them from the set names (roleOfSet) where its metrics name a set.
std::map<std::string, SetRole> storedSetRoles(const std::vector<MetricPoint>& metrics,
                                              const std::map<std::string, std::string>& params);

// From a run's metrics (all, or RunStore::summaryMetrics) and params; or read from STORE.
RunSummary summarizeRun(const std::vector<MetricPoint>& metrics, const std::map<std::string, std::string>& params);
RunSummary summarizeRun(const RunStore& store, int64_t runId);

} // namespace ra
