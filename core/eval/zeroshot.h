#pragma once
// Zero-shot classification: template-averaged class embeddings (each caption embedding normalised,
// averaged over templates, renormalised) and top-1 / top-5 / per-class accuracy of images against
// them. Torch-free API over a ClipEncoder.
//
// Thread-safety: uses the encoder; call from the encoder's owning thread.
#include "clip/clipencoder.h"
#include "data/dataset.h"

#include <functional>
#include <string>
#include <vector>

namespace ra {

struct ClassificationResult {
    int64_t count = 0;
    double top1 = 0; // fraction in [0, 1]
    double top5 = 0;
    std::vector<double> perClassAccuracy; // NaN-free: classes without samples get 0
    std::vector<int> perClassCount;
    std::vector<int> predictions;            // top-1 label per sample, in dataset order
    std::vector<std::vector<int>> confusion; // [true][predicted]
};

// Normalised class embeddings [classes, embed]; PROGRESS(classes done, classes) may be empty.
FloatMatrix zeroShotHead(ClipEncoder& encoder, const std::vector<std::string>& classNames,
                         const std::vector<std::string>& templates,
                         const std::function<void(int64_t, int64_t)>& progress = {});
// Normalised image embeddings of every sample, in batches; PROGRESS(done, total) may be empty.
FloatMatrix encodeDataset(ClipEncoder& encoder, const ImageDataset& dataset, int batchSize,
                          const std::function<void(int64_t, int64_t)>& progress = {});
// Scores normalised image features against a normalised head.
ClassificationResult classify(const FloatMatrix& imageFeatures, const FloatMatrix& head,
                              const std::vector<int>& labels);

} // namespace ra
