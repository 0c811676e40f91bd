#pragma once
// `radapter demo --seeds`: several seeds of the demo summarised cell by cell, as the README's
// table is (mean ± sample standard deviation over the seeds). One seed's table cannot say whether
// a difference of a few tenths — R-Adapter against zero-shot in this world — is more than noise.
// Torch-free.
#include "demo/demorunner.h"
#include "util/meanstd.h"

#include <map>
#include <string>
#include <vector>

namespace ra {

struct DemoMethodSummary {
    std::string name;
    std::vector<double> alphas; // each seed's alpha, in the seeds' order (R-Adapter's differ)
    MeanStd id;
    std::map<std::string, MeanStd> ood;
    MeanStd oodAverage;
};

// The methods in the first run's order. Throws ra::Error when RUNS is empty or the runs do not
// share their methods and OOD sets (results of different projects).
std::vector<DemoMethodSummary> summarizeDemoSeeds(const std::vector<DemoResult>& runs);

// The runs' WiSE-FT curves averaged point by point (ID and OOD average at each alpha), the curve
// the README draws. Throws ra::Error when RUNS is empty or their curves' alphas differ.
std::vector<DemoCurvePoint> meanWiseFtCurve(const std::vector<DemoResult>& runs);
// The runs' R-Adapter curves averaged alpha by alpha over the runs that have the point: each
// seed's curve reaches its own chosen and argmax alphas (ascending alpha; the README's mean curve).
// Throws ra::Error when RUNS is empty.
std::vector<DemoCurvePoint> meanRAdapterCurve(const std::vector<DemoResult>& runs);

} // namespace ra
