#include "losses/losses.h"

#include <torch/nn/functional/loss.h>

namespace ra {

torch::Tensor mpmNceLoss(const torch::Tensor& img, const torch::Tensor& txt, const torch::Tensor& labels, double eps,
                         double margin, double logitScale)
{
    const auto n = img.size(0);
    auto y = labels.view({-1, 1}).eq(labels.view({1, -1})).to(img.dtype()); // [N, N]
    auto positives = y.sum(1, /*keepdim=*/true);
    auto negatives = n - positives;
    auto hasNegatives = negatives.gt(0).to(img.dtype());
    auto q = (1.0 - eps * hasNegatives) * y / positives + eps * (1.0 - y) / negatives.clamp_min(1.0);
    auto cos = torch::matmul(img, txt.t());
    auto negMargin = (1.0 - y) * margin;
    auto i2t = torch::log_softmax(logitScale * (cos + negMargin), 1);
    auto t2i = torch::log_softmax(logitScale * (cos.t() + negMargin), 1);
    // y is symmetric, so q serves both directions.
    auto lossI2T = -(q * i2t).sum(1).mean();
    auto lossT2I = -(q * t2i).sum(1).mean();
    return 0.5 * (lossI2T + lossT2I);
}

torch::Tensor infoNceLoss(const torch::Tensor& img, const torch::Tensor& txt, double logitScale)
{
    auto logits = logitScale * torch::matmul(img, txt.t());
    auto target = torch::arange(img.size(0), torch::TensorOptions().dtype(torch::kInt64).device(img.device()));
    return 0.5 *
        (torch::nn::functional::cross_entropy(logits, target) +
         torch::nn::functional::cross_entropy(logits.t(), target));
}

} // namespace ra
