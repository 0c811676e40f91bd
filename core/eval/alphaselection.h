#pragma once
// Choosing R-Adapter's alpha from the ID validation curve alone (never from OOD data).
//
// Two rules, both reported by `radapter demo`:
//  - argmax: the alpha with the best validation accuracy (ties to the smaller alpha).
//  - one standard error (the default, Breiman et al. 1984, "CART"; glmnet's lambda.1se): the
//    smallest alpha whose validation accuracy is within one binomial standard error
//    sqrt(p (1 - p) / n) of the best. Alphas the validation set cannot tell apart from the best
//    are treated as equal, and among equals the one closest to the zero-shot model (alpha 0) is
//    kept, because robustness is what interpolation towards zero-shot buys. Argmax on a finite
//    validation set tends to pick extrapolated alphas (> 1) on noise, which walk away from the
//    pre-trained weights.
// Torch-free.
#include <cstdint>
#include <map>

namespace ra {

struct AlphaChoice {
    double argmax = 0;           // best validation accuracy
    double oneStandardError = 0; // smallest alpha within one standard error of the best
    double bestAccuracy = 0;
    double standardError = 0; // of the best accuracy, as a fraction
};

// CURVE: alpha -> validation accuracy in [0, 1]; COUNT: validation samples (> 0). Throws
// ra::Error on an empty curve or a non-positive count.
AlphaChoice chooseAlpha(const std::map<double, double>& curve, int64_t count);

} // namespace ra
