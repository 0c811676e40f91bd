#pragma once
// The order in which a run visits its training set: a permutation per epoch that is a function of
// the run's seed and the epoch alone, so a resumed run sees exactly the samples an uninterrupted
// one would, and two runs in one process (the Studio's worker, the demo) never share an order.
// Each session owns its sampler. Torch-free.
#include <cstdint>
#include <random>
#include <vector>

namespace ra {

// Stateless per-step randomness: the same (seed, step, stream) always gives the same draws.
std::mt19937_64 rngFor(uint64_t seed, uint64_t step, uint64_t stream);
// The generator of one sample of a step's global batch (its crop, its prompt): SAMPLE is the
// position in the global batch, so a data-parallel rank draws its own samples' numbers without
// replaying the other ranks'.
std::mt19937_64 rngForSample(uint64_t seed, uint64_t step, uint64_t sample);

class EpochSampler {
public:
    // SIZE samples (> 0), permuted afresh each epoch from SEED.
    EpochSampler(uint64_t seed, int size);
    // The sample at position GLOBAL of the endless sequence epoch 0, epoch 1, ...
    int at(int64_t global);
    // The BATCH samples of training step STEP (0-based).
    std::vector<int> batch(int step, int batchSize);

private:
    uint64_t m_seed;
    int m_size;
    int64_t m_epoch = -1;
    std::vector<int> m_order;
};

} // namespace ra
