#pragma once
// Image-text retrieval metrics: Recall@1/5/10 in both directions. Image -> text counts a hit when
// any caption of the image is among the top K; text -> image when the caption's image is.
// Torch-free.
#include "util/matrix.h"

#include <vector>

namespace ra {

struct RetrievalResult {
    double imageToText[3] = {0, 0, 0}; // R@1, R@5, R@10
    double textToImage[3] = {0, 0, 0};
    int images = 0;
    int captions = 0;
    double meanRecallAt1() const { return 0.5 * (imageToText[0] + textToImage[0]); }
};

// IMAGES [I, E] and TEXTS [T, E] normalised; CAPTIONIMAGE[t] is the image of caption t.
RetrievalResult recallAtK(const FloatMatrix& images, const FloatMatrix& texts, const std::vector<int>& captionImage);

} // namespace ra
