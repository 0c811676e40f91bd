#include "eval/embeddingmap.h"

#include "clip/clipencoder_p.h"
#include "util/error.h"

#include <torch/types.h>
#include <torch/linalg.h>

#include <map>

namespace ra {

PlaneProjection projectOntoPrincipalPlane(const std::vector<const FloatMatrix*>& fit,
                                          const std::vector<const FloatMatrix*>& also)
{
    std::vector<torch::Tensor> parts;
    for (const FloatMatrix* m : fit) parts.push_back(toDoubleTensor(*m));
    const torch::Tensor all = torch::cat(parts);
    if (all.size(0) < 2) throw Error("a map needs two points or more.");
    const torch::Tensor mean = all.mean(0, true);
    const torch::Tensor centred = all - mean;
    // Double precision: the covariance of unit vectors in 512 dimensions has small eigenvalues
    // whose order float would blur, and these matrices are small (a few thousand rows).
    const auto [values, vectors] = torch::linalg::eigh(centred.t().matmul(centred), "L"); // ascending
    torch::Tensor plane = vectors.slice(1, vectors.size(1) - 2).flip(1);                  // [cols, 2]
    for (int64_t k = 0; k < 2; ++k) {
        const torch::Tensor column = plane.select(1, k);
        if (column.index({column.abs().argmax()}).item<double>() < 0) column.neg_();
    }
    PlaneProjection out;
    const double total = values.clamp_min(0).sum().item<double>();
    out.explainedVariance = total > 0 ? values.slice(0, values.size(0) - 2).clamp_min(0).sum().item<double>() / total
                                      : 0;
    for (const auto* group : {&fit, &also})
        for (const FloatMatrix* m : *group) out.points.push_back(toMatrix((toDoubleTensor(*m) - mean).matmul(plane)));
    return out;
}

double nearestClassMeanAccuracy(const FloatMatrix& rows, const std::vector<int>& labels)
{
    if (int64_t(labels.size()) != rows.rows) throw Error("one label per row is needed.");
    std::map<int, int64_t> index; // class -> row of the sums
    for (int label : labels) index.emplace(label, int64_t(index.size()));
    const torch::Tensor x = toDoubleTensor(rows);
    std::vector<int64_t> classOf;
    for (int label : labels) classOf.push_back(index.at(label));
    const torch::Tensor cls = torch::tensor(classOf, torch::kLong);
    const int64_t classes = int64_t(index.size());
    const torch::Tensor sums = torch::zeros({classes, rows.cols}, x.options()).index_add_(0, cls, x);
    const torch::Tensor counts =
        torch::zeros({classes}, x.options()).index_add_(0, cls, torch::ones({rows.rows}, x.options()));
    const torch::Tensor means = sums / counts.unsqueeze(1);
    // Distances to every class mean; the own class's mean recomputed without the row itself.
    torch::Tensor distances = torch::cdist(x, means);
    const torch::Tensor ownCount = counts.index({cls}) - 1;
    const torch::Tensor ownMean = (sums.index({cls}) - x) / ownCount.clamp_min(1).unsqueeze(1);
    distances.scatter_(1, cls.unsqueeze(1), (x - ownMean).norm(2, 1).unsqueeze(1));
    const torch::Tensor counted = ownCount > 0;
    const int64_t n = counted.sum().item<int64_t>();
    if (n == 0) return 0;
    const torch::Tensor right = (distances.argmin(1) == cls).logical_and(counted);
    return double(right.sum().item<int64_t>()) / double(n);
}

std::vector<int64_t> nearestRows(const FloatMatrix& from, const FloatMatrix& to)
{
    if (from.cols != to.cols) throw Error("rows of different lengths cannot be compared.");
    if (to.rows == 0) return std::vector<int64_t>(size_t(from.rows), -1);
    const torch::Tensor a = torch::from_blob(const_cast<float*>(from.data.data()), {from.rows, from.cols});
    const torch::Tensor b = torch::from_blob(const_cast<float*>(to.data.data()), {to.rows, to.cols});
    const torch::Tensor best = a.matmul(b.t()).argmax(1).contiguous();
    return std::vector<int64_t>(best.data_ptr<int64_t>(), best.data_ptr<int64_t>() + from.rows);
}

} // namespace ra
