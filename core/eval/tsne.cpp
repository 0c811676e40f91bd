#include "eval/tsne.h"

#include "clip/clipencoder_p.h"
#include "util/error.h"

#include <torch/types.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ra {
namespace {

torch::Tensor jointAffinities(const torch::Tensor& x, double perplexity)
{
    const int64_t n = x.size(0);
    const torch::Tensor eye = torch::eye(n, x.options()).to(torch::kBool);
    torch::Tensor d = torch::cdist(x, x).square();
    // Each row shifted by its nearest neighbour's distance (P does not change; exp cannot
    // underflow to an all-zero row), the point itself excluded by an infinite distance.
    d = d.masked_fill(eye, std::numeric_limits<double>::infinity());
    d = d - std::get<0>(d.min(1, true));
    const torch::Tensor finite = d.masked_fill(eye, 0);
    const double target = std::log(perplexity); // the entropy, in nats, a perplexity means
    torch::Tensor beta = torch::ones({n, 1}, x.options());
    torch::Tensor lo = torch::zeros({n, 1}, x.options());
    torch::Tensor hi = torch::full({n, 1}, std::numeric_limits<double>::infinity(), x.options());
    torch::Tensor p;
    // Bisection on every row's precision at once; 100 halvings reach double precision.
    for (int step = 0; step < 100; ++step) {
        const torch::Tensor w = torch::exp(-beta * d);
        const torch::Tensor sum = w.sum(1, true);
        p = w / sum;
        const torch::Tensor entropy = torch::log(sum) + beta * (p * finite).sum(1, true);
        const torch::Tensor tooWide = entropy > target; // too many neighbours: a narrower Gaussian
        lo = torch::where(tooWide, beta, lo);
        hi = torch::where(tooWide, hi, beta);
        beta = torch::where(torch::isinf(hi), beta * 2, (lo + hi) / 2);
    }
    return (p + p.t()) / (2.0 * double(n));
}

// Q's unnormalised kernel 1 / (1 + |y_i - y_j|^2), zero on the diagonal.
torch::Tensor studentKernel(const torch::Tensor& y)
{
    const torch::Tensor squares = y.square().sum(1);
    torch::Tensor kernel = (squares.unsqueeze(1) + squares.unsqueeze(0)).sub_(y.matmul(y.t()), 2).clamp_min_(0);
    return kernel.add_(1).reciprocal_().fill_diagonal_(0);
}

torch::Tensor gradient(const torch::Tensor& p, const torch::Tensor& y)
{
    // (p - q) * kernel with q = kernel / sum(kernel), in place: the [n, n] passes are the cost.
    const torch::Tensor kernel = studentKernel(y);
    torch::Tensor pq = kernel / kernel.sum();
    pq.neg_().add_(p).mul_(kernel);
    return 4 * (pq.sum(1, true) * y - pq.matmul(y));
}

double klDivergence(const torch::Tensor& p, const torch::Tensor& y)
{
    const torch::Tensor kernel = studentKernel(y);
    const torch::Tensor q = (kernel / kernel.sum()).clamp_min(1e-300);
    const torch::Tensor kept = p > 0;
    return (p.masked_select(kept) * (p.masked_select(kept) / q.masked_select(kept)).log()).sum().item<double>();
}

} // namespace

FloatMatrix tsneAffinities(const FloatMatrix& rows, double perplexity)
{
    if (rows.rows < 2) throw Error("t-SNE needs two points or more.");
    return toMatrix(jointAffinities(toDoubleTensor(rows), perplexity));
}

FloatMatrix tsneGradient(const FloatMatrix& p, const FloatMatrix& y)
{
    return toMatrix(gradient(toDoubleTensor(p), toDoubleTensor(y)));
}

TsneResult tsneEmbedding(const FloatMatrix& rows, const FloatMatrix& init, const TsneOptions& options,
                         const std::function<bool()>& stopped)
{
    const int64_t n = rows.rows;
    if (n < 4) throw Error("t-SNE needs four points or more.");
    if (init.rows != n || init.cols != 2) throw Error("t-SNE's start needs one point on the plane per row.");
    TsneResult out;
    // More neighbours than a third of the points blurs every point's neighbourhood into all of them.
    out.perplexityUsed = std::min(options.perplexity, double(n - 1) / 3);
    const torch::NoGradGuard noGrad;
    // The affinities in double (their bisection wants it); the descent in float, twice as fast
    // over the [n, n] matrices and far finer than a picture needs.
    const torch::Tensor p = jointAffinities(toDoubleTensor(rows), out.perplexityUsed).to(torch::kFloat32);
    torch::Tensor y = toDoubleTensor(init).to(torch::kFloat32);
    y = y - y.mean(0, true);
    const double spread = y.select(1, 0).std().item<double>();
    y = spread > 0 ? y * (1e-4 / spread) : y; // small: the early steps place the points, not the start's scale
    torch::Tensor update = torch::zeros_like(y);
    torch::Tensor gains = torch::ones_like(y);
    const double rate = std::max(double(n) / options.exaggeration / 4, 50.0);
    for (int step = 0; step < options.iterations; ++step) {
        if (stopped && stopped()) break;
        const bool early = step < options.exaggerationIterations;
        const torch::Tensor g = gradient(early ? p * options.exaggeration : p, y);
        // Delta-bar-delta: a coordinate whose gradient keeps its direction speeds up.
        const torch::Tensor reversed = (update * g) < 0;
        gains = torch::where(reversed, gains + 0.2, gains * 0.8).clamp_min(0.01);
        update = (early ? 0.5 : 0.8) * update - rate * gains * g;
        y = y + update;
    }
    out.points = toMatrix(y - y.mean(0, true));
    out.klDivergence = klDivergence(p.to(torch::kFloat64), y.to(torch::kFloat64));
    return out;
}

} // namespace ra
