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
    int64_t depth; // k of one pass (see below)
    void (*run)(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, const float* bias, bool first);
};
// Depth of one pass. AVX2: a tile's weight panel (256 x 16 floats, 16 KB) stays in L1 while every
// row panel of the packed activations (at most kMaxBlockRows x 256 floats, ~150 KB) passes it
// from L2. AVX-512 CPUs have 1-2 MB of L2, and measured on a Zen 4 (2 cores, 800-row products of
// CLIP's shapes) a pass of 768 (a 96 KB panel and 440 KB of activations, both in L2) runs ~8 %
// faster than one of 256: a 768-deep product then loads and stores its C tiles once, not three
// times.
constexpr Tile kAvx512{"avx512", simd::kGemmAvx512Cols, 768, simd::gemmTileAvx512};
constexpr Tile kAvx2{"avx2", simd::kGemmAvx2Cols, 256, simd::gemmTileAvx2};

const Tile* chosenTile()
{
    static const Tile* tile = widestVectorKernel(&kAvx512, &kAvx2);
    return tile;
}

constexpr int64_t kMaxBlockRows = 144;
// The bf16 tile reads half the bytes per k; on the same Zen 4 it ran 10-25 % faster with passes of
// 768 to 3072 than of 256. 1024 keeps a row block's packed activations (144 x 512 pairs, 288 KB)
// and a weight panel (64 KB) well within a 1 MB L2.
constexpr int64_t kBf16Depth = 1024;

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

// Rounds to bf16 as torch does (nearest even; NaN stays NaN): the weights' panels are made once.
uint16_t toBf16(float v)
{
    uint32_t u;
    std::memcpy(&u, &v, sizeof u);
    if ((u & 0x7fffffffu) > 0x7f800000u) return 0x7fc0;
    return static_cast<uint16_t>((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}

// The two element types' kernels behind one driver: what a packed activation row panel holds per
// depth step (Fp32: KC floats per row; Bf16: ceil(KC/2) bf16 pairs), where a weight panel's depth
// block starts, and the tile.
struct Fp32Kernel {
    using A = float;
    using B = float;
    const Tile& tile;
    static constexpr int64_t rows = kGemmRows;
    int64_t cols() const { return tile.cols; }
    static int64_t steps(int64_t kc) { return kc; }
    int64_t depth() const { return tile.depth; }
    void pack(const float* x, int64_t in, int64_t r0, int64_t r1, int64_t k0, int64_t kc, float* out) const
    {
        packRows(x, in, r0, r1, k0, kc, out);
    }
    const float* panel(const float* panels, int64_t p, int64_t in, int64_t k0) const
    {
        return panels + (p * in + k0) * tile.cols;
    }
    void run(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, const float* bias, bool first) const
    {
        tile.run(kc, a, b, c, ldc, bias, first);
    }
};

struct Bf16Kernel {
    using A = uint32_t;
    using B = uint16_t;
    static constexpr int64_t rows = simd::kGemmBf16Rows;
    static int64_t cols() { return simd::kGemmBf16Cols; }
    static int64_t steps(int64_t kc) { return (kc + 1) / 2; }
    static int64_t depth() { return kBf16Depth; }
    static void pack(const float* x, int64_t in, int64_t r0, int64_t r1, int64_t k0, int64_t kc, uint32_t* out)
    {
        for (int64_t r = r0; r < r1; r += rows)
            simd::packRowsBf16Avx512(x + r * in + k0, in, std::min<int64_t>(rows, r1 - r), kc,
                                     out + (r - r0) * steps(kc));
    }
    static const uint16_t* panel(const uint16_t* panels, int64_t p, int64_t in, int64_t k0)
    {
        return panels + (p * steps(in) + k0 / 2) * 2 * simd::kGemmBf16Cols;
    }
    static void run(int64_t kc, const uint32_t* a, const uint16_t* b, float* c, int64_t ldc, const float* bias,
                    bool first)
    {
        simd::gemmTileAvx512Bf16(steps(kc), a, b, c, ldc, bias, first);
    }
};

// A partial tile (the last rows or columns) through a full one in a scratch buffer.
template <class Kernel>
void partialTile(const Kernel& t, int64_t kc, const typename Kernel::A* a, const typename Kernel::B* b, float* c,
                 int64_t ldc, const float* bias, bool first, int64_t rows, int64_t cols)
{
    float scratch[Kernel::rows * simd::kGemmAvx512Cols];
    float biasScratch[simd::kGemmAvx512Cols] = {};
    const int64_t width = t.cols();
    if (!first)
        for (int64_t i = 0; i < rows; ++i) std::memcpy(scratch + i * width, c + i * ldc, cols * sizeof(float));
    if (bias) std::memcpy(biasScratch, bias, cols * sizeof(float));
    t.run(kc, a, b, scratch, width, bias ? biasScratch : nullptr, first);
    for (int64_t i = 0; i < rows; ++i) std::memcpy(c + i * ldc, scratch + i * width, cols * sizeof(float));
}

template <class Kernel>
void runGemm(const Kernel& t, const float* x, int64_t m, int64_t in, int64_t out, const typename Kernel::B* panels,
             const float* bias, float* y)
{
    const int64_t tileCols = t.cols();
    const int64_t panelCount = ceilDiv(out, tileCols);
    // Tasks are row blocks times column ranges, enough of them to keep every thread busy to the
    // end: a count the threads divide, or at least four tasks per thread. Row blocks come in a
    // multiple of the thread count and share the row tiles out evenly: equal blocks of a fixed
    // height left one thread up to a block's remainder behind (ViT-B/32's 800 rows on 2 threads:
    // 414 against 386).
    const int64_t threads = at::get_num_threads();
    const int64_t depth = t.depth();
    constexpr int64_t tileRows = Kernel::rows;
    const int64_t tiles = ceilDiv(m, tileRows);
    const int64_t rowBlocks = std::min(tiles, ceilDiv(ceilDiv(m, kMaxBlockRows), threads) * threads);
    const int64_t blockRows = ceilDiv(tiles, rowBlocks) * tileRows;
    const auto blockStart = [&](int64_t block) { return std::min(m, block * tiles / rowBlocks * tileRows); };
    int64_t colRanges = 1;
    while (colRanges < panelCount && (rowBlocks * colRanges) % threads != 0 && rowBlocks * colRanges < 4 * threads)
        ++colRanges;
    const int64_t rangePanels = ceilDiv(panelCount, colRanges);

    at::parallel_for(0, rowBlocks * colRanges, 1, [&](int64_t begin, int64_t end) {
        thread_local std::vector<typename Kernel::A> packed;
        packed.resize(blockRows * Kernel::steps(depth));
        for (int64_t task = begin; task < end; ++task) {
            const int64_t r0 = blockStart(task / colRanges), r1 = blockStart(task / colRanges + 1);
            const int64_t p0 = (task % colRanges) * rangePanels, p1 = std::min(panelCount, p0 + rangePanels);
            if (r0 >= r1 || p0 >= p1) continue;
            for (int64_t k0 = 0; k0 < in; k0 += depth) {
                const int64_t kc = std::min(depth, in - k0);
                const bool first = k0 == 0;
                t.pack(x, in, r0, r1, k0, kc, packed.data());
                for (int64_t p = p0; p < p1; ++p) {
                    const auto* b = t.panel(panels, p, in, k0);
                    const int64_t c0 = p * tileCols, cols = std::min(tileCols, out - c0);
                    const float* pb = bias ? bias + c0 : nullptr;
                    for (int64_t r = r0; r < r1; r += tileRows) {
                        const auto* a = packed.data() + (r - r0) * Kernel::steps(kc);
                        float* c = y + r * out + c0;
                        const int64_t rows = std::min<int64_t>(tileRows, r1 - r);
                        if (rows == tileRows && cols == tileCols) t.run(kc, a, b, c, out, pb, first);
                        else partialTile(t, kc, a, b, c, out, pb, first, rows, cols);
                    }
                }
            }
        }
    });
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
    runGemm(Fp32Kernel{*chosenTile()}, x, m, in, out, panels, bias, y);
}

const char* packedGemmBf16KernelName()
{
    static const bool available = [] {
        const auto& cpu = cpuFeatures();
        return cpu.avx512f && cpu.avx512bf16;
    }();
    return available ? "avx512-bf16" : nullptr;
}

int64_t packedGemmBf16PanelValues(int64_t out, int64_t in)
{
    return packedGemmBf16KernelName() ? ceilDiv(out, simd::kGemmBf16Cols) * simd::kGemmBf16Cols * 2 * ceilDiv(in, 2)
                                      : 0;
}

void packGemmWeightBf16(const float* w, int64_t out, int64_t in, uint16_t* panels)
{
    constexpr int64_t cols = simd::kGemmBf16Cols;
    const int64_t pairs = ceilDiv(in, 2);
    at::parallel_for(0, ceilDiv(out, cols), 1, [&](int64_t begin, int64_t end) {
        for (int64_t p = begin; p < end; ++p) {
            uint16_t* dst = panels + p * pairs * 2 * cols;
            for (int64_t j = 0; j < cols; ++j) {
                const int64_t n = p * cols + j;
                for (int64_t k = 0; k < 2 * pairs; ++k)
                    dst[((k / 2) * cols + j) * 2 + k % 2] = n < out && k < in ? toBf16(w[n * in + k]) : 0;
            }
        }
    });
}

void packedGemmBf16(const float* x, int64_t m, int64_t in, int64_t out, const uint16_t* panels, const float* bias,
                    float* y)
{
    runGemm(Bf16Kernel{}, x, m, in, out, panels, bias, y);
}

} // namespace ra
