#include "eval/zeroshot.h"

#include "clip/imagepreprocess.h"
#include "data/templates.h"
#include "util/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ra {
namespace {

void normaliseRows(FloatMatrix& m)
{
    for (int64_t r = 0; r < m.rows; ++r) {
        float* row = m.row(r);
        double norm = 0;
        for (int64_t c = 0; c < m.cols; ++c) norm += double(row[c]) * row[c];
        const float inv = norm > 0 ? static_cast<float>(1.0 / std::sqrt(norm)) : 0.f;
        for (int64_t c = 0; c < m.cols; ++c) row[c] *= inv;
    }
}

} // namespace

FloatMatrix zeroShotHead(ClipEncoder& encoder, const std::vector<std::string>& classNames,
                         const std::vector<std::string>& templates,
                         const std::function<void(int64_t, int64_t)>& progress)
{
    if (templates.empty()) throw Error("zero-shot head: no prompt templates.");
    FloatMatrix head{static_cast<int64_t>(classNames.size()), encoder.config().embedDim, {}};
    head.data.assign(static_cast<size_t>(head.rows * head.cols), 0.f);
    for (size_t c = 0; c < classNames.size(); ++c) {
        std::vector<std::string> captions;
        for (const auto& t : templates) captions.push_back(fillTemplate(t, classNames[c]));
        FloatMatrix emb = encoder.encodeTexts(captions);
        normaliseRows(emb);
        float* out = head.row(static_cast<int64_t>(c));
        for (int64_t r = 0; r < emb.rows; ++r)
            for (int64_t k = 0; k < emb.cols; ++k) out[k] += emb.at(r, k) / static_cast<float>(emb.rows);
        if (progress) progress(int64_t(c + 1), int64_t(classNames.size()));
    }
    normaliseRows(head);
    return head;
}

FloatMatrix encodeDataset(ClipEncoder& encoder, const ImageDataset& dataset, int batchSize,
                          const std::function<void(int64_t, int64_t)>& progress)
{
    const int64_t n = static_cast<int64_t>(dataset.samples.size());
    FloatMatrix all{n, encoder.config().embedDim, {}};
    all.data.reserve(static_cast<size_t>(n * all.cols));
    const int resolution = encoder.config().imageResolution;
    for (int64_t begin = 0; begin < n; begin += batchSize) {
        const int64_t end = std::min(n, begin + batchSize);
        std::vector<std::vector<float>> batch;
        for (int64_t i = begin; i < end; ++i)
            batch.push_back(clipPreprocess(decodeImage(dataset.samples[static_cast<size_t>(i)].path), resolution));
        FloatMatrix emb = encoder.encodeImages(batch);
        all.data.insert(all.data.end(), emb.data.begin(), emb.data.end());
        if (progress) progress(end, n);
    }
    normaliseRows(all);
    return all;
}

ClassificationResult classify(const FloatMatrix& features, const FloatMatrix& head, const std::vector<int>& labels)
{
    const int64_t classes = head.rows;
    ClassificationResult r;
    r.count = features.rows;
    r.perClassAccuracy.assign(static_cast<size_t>(classes), 0.0);
    r.perClassCount.assign(static_cast<size_t>(classes), 0);
    r.confusion.assign(static_cast<size_t>(classes), std::vector<int>(static_cast<size_t>(classes), 0));
    std::vector<int> correctPerClass(static_cast<size_t>(classes), 0);
    int64_t top1 = 0, top5 = 0;
    std::vector<float> scores(static_cast<size_t>(classes));
    std::vector<int> order(static_cast<size_t>(classes));
    for (int64_t i = 0; i < features.rows; ++i) {
        for (int64_t c = 0; c < classes; ++c) {
            double s = 0;
            for (int64_t k = 0; k < features.cols; ++k) s += double(features.at(i, k)) * head.at(c, k);
            scores[static_cast<size_t>(c)] = static_cast<float>(s);
        }
        std::iota(order.begin(), order.end(), 0);
        const size_t k = std::min<size_t>(5, order.size());
        std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                          [&](int a, int b) { return scores[a] > scores[b] || (scores[a] == scores[b] && a < b); });
        const int label = labels[static_cast<size_t>(i)];
        const int predicted = order[0];
        r.predictions.push_back(predicted);
        if (label >= 0 && label < classes) {
            ++r.perClassCount[static_cast<size_t>(label)];
            ++r.confusion[static_cast<size_t>(label)][static_cast<size_t>(predicted)];
            if (predicted == label) {
                ++top1;
                ++correctPerClass[static_cast<size_t>(label)];
            }
            if (std::find(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), label) !=
                order.begin() + static_cast<std::ptrdiff_t>(k))
                ++top5;
        }
    }
    if (r.count > 0) {
        r.top1 = double(top1) / r.count;
        r.top5 = double(top5) / r.count;
    }
    for (int64_t c = 0; c < classes; ++c)
        if (r.perClassCount[static_cast<size_t>(c)] > 0)
            r.perClassAccuracy[static_cast<size_t>(c)] = double(correctPerClass[static_cast<size_t>(c)]) /
                r.perClassCount[static_cast<size_t>(c)];
    return r;
}

} // namespace ra
