#pragma once
// Training losses. INTERNAL to core (torch).
#include <torch/types.h>

namespace ra {

// MPM-NCE (R-Adapter): symmetric contrastive loss over L2-normalised features with soft targets
// q_ij = (1-eps) y_ij / P_i + eps (1 - y_ij) / (N - P_i), y_ij = [label_i == label_j], an additive
// cosine margin delta on negative logits, logits = logitScale * (cos + delta * (1 - y)), computed
// with log_softmax; mean over rows, the two directions averaged. When a row has no negatives
// the eps mass goes to its positives (the official code would divide by zero).
torch::Tensor mpmNceLoss(const torch::Tensor& imageFeatures, const torch::Tensor& textFeatures,
                         const torch::Tensor& labels, double epsilon, double margin, double logitScale);
// CLIP's InfoNCE: the diagonal is the only positive.
torch::Tensor infoNceLoss(const torch::Tensor& imageFeatures, const torch::Tensor& textFeatures, double logitScale);

} // namespace ra
