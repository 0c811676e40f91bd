#pragma once
// The paper's story checked on one demo result, or on the means over seeds: fine-tuning gains ID
// accuracy and costs robustness, weight averaging recovers it, R-Adapter gets both. Each claim
// carries the bar the demo world was designed to (docs/ood-suite.md) and the margin measured, so a
// class sees which part of the story a run shows and by how much, not only the table. Torch-free.
#include "demo/demoseeds.h"

#include <map>
#include <string>
#include <vector>

namespace ra {

struct StoryPoint {
    double id = 0;         // ID test top-1, a fraction
    double oodAverage = 0; // a fraction
};

struct StoryClaim {
    std::string text; // "fine-tuning's ID accuracy against zero-shot: +21.6 points (bar: +10 or more)"
    bool holds = false;
    bool goal = false; // beyond the bar (the paper's result), not part of it
};

// METHODS by the demo's names: "zero-shot", "fine-tuning", "WiSE-FT" (at alpha 0.5) and "R-Adapter"
// (at its chosen alpha); others are ignored. Throws ra::Error naming a missing one.
// WISE_FT_CURVE (ascending alpha), where given, adds the paper's figure as a last claim beyond the
// bar: R-Adapter's point against the WiSE-FT curve at R-Adapter's own ID accuracy, i.e. which of
// the two keeps more robustness for the same ID accuracy. Left out where R-Adapter's ID accuracy
// is outside the curve's range (above fine-tuning's), where the curve cannot say.
std::vector<StoryClaim> checkPaperStory(const std::map<std::string, StoryPoint>& methods,
                                        const std::vector<DemoCurvePoint>& wiseFtCurve = {});
// The same on one run's methods and WiSE-FT curve, or on the means over seeds (with their mean
// curve, meanWiseFtCurve in demoseeds.h).
std::vector<StoryClaim> checkPaperStory(const DemoResult& result);
std::vector<StoryClaim> checkPaperStory(const std::vector<DemoMethodSummary>& summary,
                                        const std::vector<DemoCurvePoint>& meanWiseFtCurve = {});

// The OOD average on CURVE (ascending alpha) at ID accuracy ID: linear between the first two
// neighbouring points whose ID accuracies enclose it; NaN where no two do.
double oodAverageOnCurveAt(const std::vector<DemoCurvePoint>& curve, double id);

} // namespace ra
