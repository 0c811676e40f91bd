#include "clip/packedgemm.h"

#include "clip/packedgemm_simd.h"
#include "platform/cpufeatures.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace ra {

namespace {

using simd::kGemmRows;

struct Tile {
    const char* name;
    int64_t cols;
    void (*run)(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, const float* bias, bool first);
};
constexpr Tile kAvx512{"avx512", simd::kGemmAvx512Cols, simd::gemmTileAvx512};
constexpr Tile kAvx2{"avx2", simd::kGemmAvx2Cols, simd::gemmTileAvx2};

const Tile* chosenTile()
{
    static const Tile* tile = []() -> const Tile* {
        const auto& cpu = cpuFeatures();
        if (cpu.avx512f) return &kAvx512;
        if (cpu.avx2 && cpu.fma) return &kAvx2;
        return nullptr;
    }();
    return tile;
}

// Depth of one pass: a tile's weight panel (KC x 16 or 32 floats, 16 or 32 KB) stays in L1 while
// every row panel of the packed activations (at most kMaxBlockRows x KC floats, ~150 KB, in L2)
// passes it.
constexpr int64_t kDepth = 256;
constexpr int64_t kMaxBlockRows = 144;

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Copies rows [R0, R1) x columns [K0, K0 + KC) of X into groups of kGemmRows rows, k-major,
// zero-padding the last group.
void packRows(const float* x, int64_t in, int64_t r0, int64_t r1, int64_t k0, int64_t kc, float* out)
{
    for (int64_t r = r0; r < r1; r += kGemmRows) {
        const int64_t rows = std::min<int64_t>(kGemmRows, r1 - r);
        float* dst = out + (r - r0) * kc;
        for (int64_t i = 0; i < rows; ++i) {
            const float* src = x + (r + i) * in + k0;
            for (int64_t k = 0; k < kc; ++k) dst[k * kGemmRows + i] = src[k];
        }
        for (int64_t i = rows; i < kGemmRows; ++i)
            for (int64_t k = 0; k < kc; ++k) dst[k * kGemmRows + i] = 0.f;
    }
}

// A partial tile (the last rows or columns) through a full one in a scratch buffer.
void partialTile(const Tile& t, int64_t kc, const float* a, const float* b, float* c, int64_t ldc, const float* bias,
                 bool first, int64_t rows, int64_t cols)
{
    float scratch[kGemmRows * simd::kGemmAvx512Cols];
    float biasScratch[simd::kGemmAvx512Cols] = {};
    if (!first)
        for (int64_t i = 0; i < rows; ++i) std::memcpy(scratch + i * t.cols, c + i * ldc, cols * sizeof(float));
    if (bias) std::memcpy(biasScratch, bias, cols * sizeof(float));
    t.run(kc, a, b, scratch, t.cols, bias ? biasScratch : nullptr, first);
    for (int64_t i = 0; i < rows; ++i) std::memcpy(c + i * ldc, scratch + i * t.cols, cols * sizeof(float));
}

} // namespace

const char* packedGemmKernelName()
{
    const Tile* t = chosenTile();
    return t ? t->name : nullptr;
}

int64_t packedGemmPanelFloats(int64_t out, int64_t in)
{
    const Tile* t = chosenTile();
    return t ? ceilDiv(out, t->cols) * t->cols * in : 0;
}

void packGemmWeight(const float* w, int64_t out, int64_t in, float* panels)
{
    const int64_t cols = chosenTile()->cols;
    at::parallel_for(0, ceilDiv(out, cols), 1, [&](int64_t begin, int64_t end) {
        for (int64_t p = begin; p < end; ++p) {
            float* dst = panels + p * in * cols;
            for (int64_t j = 0; j < cols; ++j) {
                const int64_t n = p * cols + j;
                for (int64_t k = 0; k < in; ++k) dst[k * cols + j] = n < out ? w[n * in + k] : 0.f;
            }
        }
    });
}

void packedGemm(const float* x, int64_t m, int64_t in, int64_t out, const float* panels, const float* bias, float* y)
{
    const Tile& t = *chosenTile();
    const int64_t panelCount = ceilDiv(out, t.cols);
    // Tasks are row blocks times column ranges, enough of them to keep every thread busy to the
    // end: a count the threads divide, or at least four tasks per thread.
    const int64_t threads = at::get_num_threads();
    const int64_t rowBlocks = ceilDiv(m, kMaxBlockRows);
    const int64_t blockRows = ceilDiv(ceilDiv(m, rowBlocks), kGemmRows) * kGemmRows;
    int64_t colRanges = 1;
    while (colRanges < panelCount && (rowBlocks * colRanges) % threads != 0 && rowBlocks * colRanges < 4 * threads)
        ++colRanges;
    const int64_t rangePanels = ceilDiv(panelCount, colRanges);

    at::parallel_for(0, rowBlocks * colRanges, 1, [&](int64_t begin, int64_t end) {
        thread_local std::vector<float> packed;
        packed.resize(blockRows * kDepth);
        for (int64_t task = begin; task < end; ++task) {
            const int64_t r0 = (task / colRanges) * blockRows, r1 = std::min(m, r0 + blockRows);
            const int64_t p0 = (task % colRanges) * rangePanels, p1 = std::min(panelCount, p0 + rangePanels);
            if (r0 >= r1 || p0 >= p1) continue;
            for (int64_t k0 = 0; k0 < in; k0 += kDepth) {
                const int64_t kc = std::min(kDepth, in - k0);
                const bool first = k0 == 0;
                packRows(x, in, r0, r1, k0, kc, packed.data());
                for (int64_t p = p0; p < p1; ++p) {
                    const float* b = panels + (p * in + k0) * t.cols;
                    const int64_t c0 = p * t.cols, cols = std::min(t.cols, out - c0);
                    const float* pb = bias ? bias + c0 : nullptr;
                    for (int64_t r = r0; r < r1; r += kGemmRows) {
                        const float* a = packed.data() + (r - r0) * kc;
                        float* c = y + r * out + c0;
                        const int64_t rows = std::min<int64_t>(kGemmRows, r1 - r);
                        if (rows == kGemmRows && cols == t.cols) t.run(kc, a, b, c, out, pb, first);
                        else partialTile(t, kc, a, b, c, out, pb, first, rows, cols);
                    }
                }
            }
        }
    });
}

} // namespace ra
