#include "config/tpe.h"

#include "util/portabledraws.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace ra {
namespace {

constexpr double kPriorMean = 0.5, kPriorWidth = 1.0;

double normalCdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

} // namespace

ParzenEstimator::ParzenEstimator(std::vector<double> points)
{
    std::sort(points.begin(), points.end());
    const double narrowest = 1.0 / double(std::min<size_t>(100, points.size() + 1));
    // The prior takes its place among the points, so that its neighbours' widths see it.
    m_mean = points;
    m_mean.insert(std::lower_bound(m_mean.begin(), m_mean.end(), kPriorMean), kPriorMean);
    const auto prior = size_t(std::find(m_mean.begin(), m_mean.end(), kPriorMean) - m_mean.begin());
    for (size_t i = 0; i < m_mean.size(); ++i) {
        if (i == prior) {
            m_width.push_back(kPriorWidth);
            continue;
        }
        const double left = m_mean[i] - (i == 0 ? 0.0 : m_mean[i - 1]);
        const double right = (i + 1 == m_mean.size() ? 1.0 : m_mean[i + 1]) - m_mean[i];
        m_width.push_back(std::clamp(std::max(left, right), narrowest, 1.0));
    }
    for (size_t i = 0; i < m_mean.size(); ++i)
        m_mass.push_back(normalCdf((1 - m_mean[i]) / m_width[i]) - normalCdf(-m_mean[i] / m_width[i]));
}

double ParzenEstimator::density(double u) const
{
    double sum = 0;
    for (size_t i = 0; i < m_mean.size(); ++i) {
        const double z = (u - m_mean[i]) / m_width[i];
        sum += std::exp(-0.5 * z * z) / (m_width[i] * std::sqrt(2 * M_PI) * m_mass[i]);
    }
    return sum / double(m_mean.size());
}

double ParzenEstimator::sample(double uniform, double normal, double uniform2) const
{
    // A component chosen by UNIFORM, then a point of its Gaussian in [0, 1]: NORMAL where it lies
    // inside, else one drawn by the inverse of the truncated distribution at UNIFORM2 (by
    // bisection: the CDF is monotone).
    const size_t i = std::min(m_mean.size() - 1, size_t(uniform * double(m_mean.size())));
    const double inside = m_mean[i] + m_width[i] * normal;
    if (inside >= 0 && inside <= 1) return inside;
    const double below = normalCdf(-m_mean[i] / m_width[i]);
    const double target = below + uniform2 * m_mass[i];
    double lo = 0, hi = 1;
    for (int k = 0; k < 50; ++k) {
        const double mid = 0.5 * (lo + hi);
        (normalCdf((mid - m_mean[i]) / m_width[i]) < target ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

size_t tpeGoodCount(size_t n) { return std::max<size_t>(1, (n + 3) / 4); }

std::vector<double> suggestTpe(const std::vector<TpeTrial>& trials, uint64_t seed,
                               const std::function<bool(const std::vector<double>&)>& accept, int candidates)
{
    if (trials.empty()) return {};
    const size_t dims = trials.front().point.size();
    std::vector<size_t> order(trials.size());
    std::iota(order.begin(), order.end(), size_t(0));
    // Best first; among equal scores the earlier trial first, so ties split the same way every time.
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return trials[a].score > trials[b].score; });
    const size_t good = tpeGoodCount(trials.size());
    std::vector<ParzenEstimator> l, g;
    for (size_t d = 0; d < dims; ++d) {
        std::vector<double> best, rest;
        for (size_t k = 0; k < order.size(); ++k) (k < good ? best : rest).push_back(trials[order[k]].point[d]);
        l.emplace_back(std::move(best));
        g.emplace_back(std::move(rest)); // with no rest, the prior alone
    }
    PortableDraws draws{seed};
    std::vector<double> chosen;
    double bestRatio = -std::numeric_limits<double>::infinity();
    for (int c = 0; c < candidates; ++c) {
        std::vector<double> point(dims);
        double ratio = 0;
        for (size_t d = 0; d < dims; ++d) {
            const double u1 = draws.next(), n = draws.normal(), u2 = draws.next();
            point[d] = l[d].sample(u1, n, u2);
            ratio += std::log(l[d].density(point[d])) - std::log(g[d].density(point[d]));
        }
        if (ratio > bestRatio && accept(point)) {
            bestRatio = ratio;
            chosen = std::move(point);
        }
    }
    return chosen;
}

} // namespace ra
