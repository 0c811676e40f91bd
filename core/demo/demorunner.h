#pragma once
// `radapter demo`: the paper's comparison on the digits-shift world, headless. Zero-shot, full
// fine-tuning (alpha 1), WiSE-FT (the same fine-tuned weights at alpha 0.5) and R-Adapter, whose
// alpha is chosen on the ID validation set (never on OOD data) by the one-standard-error rule of
// eval/alphaselection.h; R-Adapter at the validation argmax, at 0.5 and at 1.0 are shown too.
// ID accuracy is measured on the ID test set. Both methods are also drawn as curves over alpha
// (WiSE-FT's and R-Adapter's), the paper's ID-vs-OOD figure. Torch-free API.
#include "eval/alphaselection.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ra {

struct DemoOptions {
    std::string projectPath; // the digits-shift project (its data is prepared on demand)
    std::string dataDir;     // where prepare-demo writes; must match the project's data folder
    uint64_t seed = 0;
    int threads = 0;      // the budget: 0 = every core
    bool parallel = true; // on a 2-3 thread budget, the two methods' pipelines side by side
    int steps = -1;       // -1: the project's
    int evalLimit = 0;    // > 0: at most this many images per evaluation set (quick checks; the
                          // reported table always uses whole sets)
    // Asked between training steps and evaluation chunks (TrainingSession::setStopCheck); when it
    // says stop, runDemo throws ra::Cancelled within about a step. Empty: never.
    std::function<bool()> shouldStop;
};

struct DemoMethodResult {
    std::string name;
    double alpha = 0;
    double id = 0;                     // ID test top-1
    std::map<std::string, double> ood; // OOD set -> top-1
    double oodAverage = 0;
};

// One point of an interpolation curve on the ID-vs-OOD plane (the paper's figure).
struct DemoCurvePoint {
    double alpha = 0;
    double id = 0;
    double oodAverage = 0;
};

struct DemoResult {
    std::vector<DemoMethodResult> methods;
    // The fine-tuned weights interpolated towards zero-shot (WiSE-FT) and R-Adapter's merge, at
    // kCurveAlphas (alpha 0 is the zero-shot model for both, by construction) and, for R-Adapter,
    // also at its chosen and argmax alphas. Ascending alpha.
    std::vector<DemoCurvePoint> wiseFtCurve, radapterCurve;
    std::map<double, double> radapterValidation; // alpha -> ID val top-1 (the selection curve)
    AlphaChoice alphaChoice;
    double seconds = 0;
    uint64_t seed = 0; // the options' seed, for whoever shows the result
};

// The four methods the paper's figure and story are about, in the table's order (the other rows
// are R-Adapter at other alphas, points on its curve).
inline const std::vector<std::string> kDemoKeyMethods = {"zero-shot", "fine-tuning", "WiSE-FT", "R-Adapter"};

// The alphas both curves are evaluated at.
inline const std::vector<double> kCurveAlphas = {0.0, 0.25, 0.5, 0.75, 1.0};

// Throws ra::Error, or ra::Cancelled when OPTIONS.shouldStop fired. LOG receives one line per phase.
DemoResult runDemo(const DemoOptions& options, const std::function<void(const std::string&)>& log = {});

} // namespace ra
