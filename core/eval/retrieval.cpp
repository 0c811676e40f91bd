#include "eval/retrieval.h"

#include <algorithm>
#include <numeric>

namespace ra {

RetrievalResult recallAtK(const FloatMatrix& images, const FloatMatrix& texts, const std::vector<int>& captionImage)
{
    RetrievalResult r;
    r.images = int(images.rows);
    r.captions = int(texts.rows);
    const int ks[3] = {1, 5, 10};
    std::vector<float> sim(size_t(images.rows * texts.rows));
    for (int64_t i = 0; i < images.rows; ++i)
        for (int64_t t = 0; t < texts.rows; ++t) {
            double s = 0;
            for (int64_t k = 0; k < images.cols; ++k) s += double(images.at(i, k)) * texts.at(t, k);
            sim[size_t(i * texts.rows + t)] = float(s);
        }
    // Rank of the best correct item = number of items scoring strictly higher (ties favour correct).
    for (int64_t i = 0; i < images.rows; ++i) {
        float best = -1e30f;
        for (int64_t t = 0; t < texts.rows; ++t)
            if (captionImage[size_t(t)] == i) best = std::max(best, sim[size_t(i * texts.rows + t)]);
        int rank = 0;
        for (int64_t t = 0; t < texts.rows; ++t)
            if (captionImage[size_t(t)] != i && sim[size_t(i * texts.rows + t)] > best) ++rank;
        for (int k = 0; k < 3; ++k) r.imageToText[k] += rank < ks[k];
    }
    for (int64_t t = 0; t < texts.rows; ++t) {
        const int64_t own = captionImage[size_t(t)];
        const float score = sim[size_t(own * texts.rows + t)];
        int rank = 0;
        for (int64_t i = 0; i < images.rows; ++i)
            if (i != own && sim[size_t(i * texts.rows + t)] > score) ++rank;
        for (int k = 0; k < 3; ++k) r.textToImage[k] += rank < ks[k];
    }
    for (int k = 0; k < 3; ++k) {
        if (r.images) r.imageToText[k] /= r.images;
        if (r.captions) r.textToImage[k] /= r.captions;
    }
    return r;
}

} // namespace ra
