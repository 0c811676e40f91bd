#pragma once
// A small PNG encoder for tests: any colour type and bit depth, Adam7 interlacing, and each row
// with a different one of the five filters, so a decoder meets every case a real file can hold.
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace ra::test {

struct PngSpec {
    int width = 0, height = 0;
    int colourType = 2; // 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA
    int bitDepth = 8;
    bool interlaced = false;
    std::vector<uint32_t> samples; // width * height * channels, each below 2^bitDepth
    std::vector<uint8_t> palette;  // PLTE: RGB triples (colour type 3)
    std::vector<uint8_t> trns;     // tRNS as stored, empty for none
};

inline int pngSpecChannels(int colourType)
{
    return colourType == 2 ? 3 : colourType == 4 ? 2 : colourType == 6 ? 4 : 1;
}

inline void appendChunk(std::vector<uint8_t>& out, const char* type, const std::vector<uint8_t>& data)
{
    const auto put32 = [&out](uint32_t v) {
        for (int s = 24; s >= 0; s -= 8) out.push_back(uint8_t(v >> s));
    };
    put32(uint32_t(data.size()));
    std::vector<uint8_t> typed(type, type + 4);
    typed.insert(typed.end(), data.begin(), data.end());
    out.insert(out.end(), typed.begin(), typed.end());
    put32(uint32_t(crc32(0L, typed.data(), uInt(typed.size()))));
}

inline std::vector<uint8_t> encodePng(const PngSpec& p)
{
    const int channels = pngSpecChannels(p.colourType);
    const int pixelBytes = std::max(1, channels * p.bitDepth / 8);
    struct Pass {
        int x0, y0, dx, dy;
    };
    std::vector<Pass> passes = {{0, 0, 1, 1}};
    if (p.interlaced)
        passes = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};
    std::vector<uint8_t> filtered;
    int rowIndex = 0;
    for (const Pass& pass : passes) {
        const int w = p.width > pass.x0 ? (p.width - pass.x0 + pass.dx - 1) / pass.dx : 0;
        const int h = p.height > pass.y0 ? (p.height - pass.y0 + pass.dy - 1) / pass.dy : 0;
        if (w == 0 || h == 0) continue;
        const size_t rowBytes = (size_t(w) * size_t(channels) * size_t(p.bitDepth) + 7) / 8;
        std::vector<uint8_t> previous;
        for (int r = 0; r < h; ++r) {
            std::vector<uint8_t> raw(rowBytes, 0);
            for (int i = 0; i < w; ++i)
                for (int c = 0; c < channels; ++c) {
                    const size_t x = size_t(pass.x0 + i * pass.dx), y = size_t(pass.y0 + r * pass.dy);
                    const uint32_t v = p.samples[(y * size_t(p.width) + x) * size_t(channels) + size_t(c)];
                    const size_t s = size_t(i) * size_t(channels) + size_t(c);
                    if (p.bitDepth == 16) {
                        raw[2 * s] = uint8_t(v >> 8);
                        raw[2 * s + 1] = uint8_t(v);
                    } else if (p.bitDepth == 8) {
                        raw[s] = uint8_t(v);
                    } else {
                        const size_t bit = s * size_t(p.bitDepth);
                        raw[bit / 8] |= uint8_t(v << (8 - p.bitDepth - int(bit % 8)));
                    }
                }
            const int filter = rowIndex++ % 5;
            filtered.push_back(uint8_t(filter));
            for (size_t i = 0; i < rowBytes; ++i) {
                const int a = i >= size_t(pixelBytes) ? raw[i - size_t(pixelBytes)] : 0;
                const int b = previous.empty() ? 0 : previous[i];
                const int c = previous.empty() || i < size_t(pixelBytes) ? 0 : previous[i - size_t(pixelBytes)];
                int predicted = 0;
                if (filter == 1) predicted = a;
                if (filter == 2) predicted = b;
                if (filter == 3) predicted = (a + b) / 2;
                if (filter == 4) {
                    const int q = a + b - c, pa = std::abs(q - a), pb = std::abs(q - b), pc = std::abs(q - c);
                    predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                }
                filtered.push_back(uint8_t(raw[i] - predicted));
            }
            previous = raw;
        }
    }
    std::vector<uint8_t> compressed(compressBound(uLong(filtered.size())));
    uLongf size = uLongf(compressed.size());
    compress2(compressed.data(), &size, filtered.data(), uLong(filtered.size()), 6);
    compressed.resize(size);

    std::vector<uint8_t> out = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    std::vector<uint8_t> ihdr;
    for (uint32_t v : {uint32_t(p.width), uint32_t(p.height)})
        for (int s = 24; s >= 0; s -= 8) ihdr.push_back(uint8_t(v >> s));
    ihdr.insert(ihdr.end(), {uint8_t(p.bitDepth), uint8_t(p.colourType), 0, 0, uint8_t(p.interlaced ? 1 : 0)});
    appendChunk(out, "IHDR", ihdr);
    if (!p.palette.empty()) appendChunk(out, "PLTE", p.palette);
    if (!p.trns.empty()) appendChunk(out, "tRNS", p.trns);
    appendChunk(out, "IDAT", compressed);
    appendChunk(out, "IEND", {});
    return out;
}

} // namespace ra::test
