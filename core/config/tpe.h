#pragma once
// The tree-structured Parzen estimator (TPE; Bergstra, Bardenet, Bengio & Kégl, "Algorithms for
// Hyper-Parameter Optimization", NeurIPS 2011), written from the paper's description: the trials
// so far are split by score into the best quarter and the rest, each group's settings are modelled
// by a Parzen window (a mixture of one truncated Gaussian per trial and a broad prior), and the
// next trial is the candidate, drawn from the good model, with the largest ratio of good to bad
// density — the expected improvement's maximiser under that model. Each setting is modelled on
// its own (the paper's factorised form), in [0, 1]: a search's ranges mapped there
// (searchgrid.h: rangeFraction). Deterministic from its seed. Torch-free.
#include <cstdint>
#include <functional>
#include <vector>

namespace ra {

// One setting's density on [0, 1] from POINTS: an equal-weight mixture of a Gaussian at each
// point and a prior at 0.5 of width 1, each truncated to [0, 1]. A point's width is the larger of
// its gaps to its neighbours (the prior's mean and the ends count as neighbours), at least
// 1 / min(100, n + 1) and at most 1: wide where the points are few, narrow where they crowd.
class ParzenEstimator {
public:
    explicit ParzenEstimator(std::vector<double> points);
    double density(double u) const;
    double sample(double uniform, double normal, double uniform2) const; // from three draws
    size_t components() const { return m_mean.size(); }
    double width(size_t component) const { return m_width[component]; }

private:
    std::vector<double> m_mean, m_width, m_mass; // m_mass: each truncated Gaussian's mass in [0, 1]
};

// How many of N trials the good model takes: the best quarter, at least one.
size_t tpeGoodCount(size_t n);

struct TpeTrial {
    std::vector<double> point; // each setting's fraction in [0, 1]
    double score = 0;          // higher is better
};

// The next point to try after TRIALS (at least one): of CANDIDATES points drawn from the good
// model, the one with the largest sum over the settings of log l(u) - log g(u) that ACCEPT takes
// (a point that would repeat an earlier trial's values is not); none when ACCEPT takes none.
constexpr int kTpeCandidates = 24;
std::vector<double> suggestTpe(const std::vector<TpeTrial>& trials, uint64_t seed,
                               const std::function<bool(const std::vector<double>&)>& accept,
                               int candidates = kTpeCandidates);

} // namespace ra
