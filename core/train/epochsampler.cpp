#include "train/epochsampler.h"

#include <algorithm>
#include <numeric>

namespace ra {

std::mt19937_64 rngFor(uint64_t seed, uint64_t step, uint64_t stream)
{
    std::seed_seq seq{uint32_t(seed), uint32_t(seed >> 32), uint32_t(step), uint32_t(step >> 32), uint32_t(stream)};
    return std::mt19937_64(seq);
}

std::mt19937_64 rngForSample(uint64_t seed, uint64_t step, uint64_t sample)
{
    std::seed_seq seq{uint32_t(seed), uint32_t(seed >> 32), uint32_t(step),        uint32_t(step >> 32),
                      uint32_t(3),    uint32_t(sample),     uint32_t(sample >> 32)}; // stream 3: per-sample draws
    return std::mt19937_64(seq);
}

EpochSampler::EpochSampler(uint64_t seed, int size) : m_seed(seed), m_size(std::max(1, size)) {}

int EpochSampler::at(int64_t global)
{
    const int64_t epoch = global / m_size;
    if (epoch != m_epoch) {
        m_order.resize(size_t(m_size));
        std::iota(m_order.begin(), m_order.end(), 0);
        auto rng = rngFor(m_seed, uint64_t(epoch), 1); // stream 1: data order
        std::shuffle(m_order.begin(), m_order.end(), rng);
        m_epoch = epoch;
    }
    return m_order[size_t(global % m_size)];
}

std::vector<int> EpochSampler::batch(int step, int batchSize)
{
    std::vector<int> out;
    out.reserve(size_t(batchSize));
    for (int i = 0; i < batchSize; ++i) out.push_back(at(int64_t(step) * batchSize + i));
    return out;
}

} // namespace ra
