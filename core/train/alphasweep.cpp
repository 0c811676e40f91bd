#include "train/alphasweep.h"

namespace ra {

bool sweepAlpha(TrainingSession& session, const std::vector<double>& alphas, const AlphaPointFn& onPoint,
                const std::vector<std::string>& sets)
{
    for (const double alpha : alphas)
        if (!onPoint(alpha, session.evaluate(alpha, sets))) return false;
    return true;
}

} // namespace ra
