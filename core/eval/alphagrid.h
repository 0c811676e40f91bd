#pragma once
// The alpha values a sweep evaluates, and the one range every alpha must lie in. Alpha re-scales
// the trained update (W = W0 (I + alpha s F); theta0 + alpha (theta1 - theta0) for WiSE-FT): 0 is
// the zero-shot model, 1 the fine-tuned one, and beyond 1 extrapolates. The training setting
// `alpha`, the CLI's --alpha/--alphas, the Studio's slider and the demo all use these limits, so a
// NaN, an infinity or 1e308 can never reach the weights. Torch-free.
#include <cstddef>
#include <string>
#include <vector>

namespace ra {

constexpr double kMinAlpha = 0.0;
constexpr double kMaxAlpha = 3.0;
constexpr size_t kMaxAlphaGridPoints = 1000;

// Throws ra::Error "WHAT must be a finite number from 0 to 3, got VALUE." unless it is.
void checkAlpha(double alpha, const std::string& what);

struct AlphaGrid {
    std::vector<double> values; // ascending for START:STOP:STEP, as given for a list

    // The default sweep: 0, 0.1, ..., 1.5 (the Studio's slider, the demo, `radapter sweep`).
    static AlphaGrid standard();
    // "START:STOP:STEP" (STOP included, within rounding) or "A,B,C". Every value is checked with
    // checkAlpha and the grid holds at most kMaxAlphaGridPoints; anything else throws ra::Error
    // naming WHAT ("--alphas") and the text.
    static AlphaGrid parse(const std::string& spec, const std::string& what);

    // The same values, ends first, then the middle, then halving the gaps: a sweep in this order
    // shows the whole curve's shape after a few points and fills in the rest (the Studio).
    std::vector<double> coarseToFine() const;
};

// ALPHA rounded to 1e-6, the precision at which alphas are stored and compared.
double roundAlpha(double alpha);

} // namespace ra
