#pragma once
// A dense row-major float matrix: the torch-free way core hands embeddings and logits to callers.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ra {

struct FloatMatrix {
    int64_t rows = 0;
    int64_t cols = 0;
    std::vector<float> data;

    const float* row(int64_t i) const { return data.data() + i * cols; }
    float* row(int64_t i) { return data.data() + i * cols; }
    float at(int64_t r, int64_t c) const { return data[static_cast<size_t>(r * cols + c)]; }
};

} // namespace ra
