#pragma once
// The one alpha sweep: a trained session evaluated at each alpha of a grid, used by
// `radapter sweep`, the Studio's alpha explorer and the demo's validation curve. Torch-free.
#include "train/trainingsession.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ra {

// Called after each point with its alpha and every evaluated set's result; return false to stop.
using AlphaPointFn = std::function<bool(double alpha, const std::map<std::string, EvalResult>& results)>;

// Evaluates SESSION on SETS (empty: every evaluation set) at each of ALPHAS in the order given
// (AlphaGrid::values, or coarseToFine()). Returns true when every point was evaluated, false when
// ON_POINT asked to stop. ra::Cancelled from the session's stop check passes through.
bool sweepAlpha(TrainingSession& session, const std::vector<double>& alphas, const AlphaPointFn& onPoint,
                const std::vector<std::string>& sets = {});

} // namespace ra
