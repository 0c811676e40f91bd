#pragma once
// A dense row-major float matrix: the torch-free way core hands embeddings and logits to callers.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

namespace ra {

struct FloatMatrix {
    int64_t rows = 0;
    int64_t cols = 0;
    std::vector<float> data;

    const float* row(int64_t i) const { return data.data() + i * cols; }
    float* row(int64_t i) { return data.data() + i * cols; }
    float at(int64_t r, int64_t c) const { return data[static_cast<size_t>(r * cols + c)]; }
    // The columns of row R with the K largest values, largest first (a classifier's top-K classes).
    std::vector<int64_t> topColumns(int64_t r, int64_t k) const
    {
        std::vector<int64_t> order(static_cast<size_t>(cols));
        std::iota(order.begin(), order.end(), int64_t(0));
        const auto shown = static_cast<std::ptrdiff_t>(std::min(k, cols));
        std::partial_sort(order.begin(), order.begin() + shown, order.end(),
                          [&](int64_t a, int64_t b) { return at(r, a) > at(r, b); });
        order.resize(static_cast<size_t>(shown));
        return order;
    }
};

} // namespace ra
