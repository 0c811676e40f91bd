#include "clip/pngdata.h"

#include <zlib.h>

#include <algorithm>

namespace ra {

bool hasPngSignature(const std::vector<uint8_t>& bytes)
{
    static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    return bytes.size() >= 8 && std::equal(signature, signature + 8, bytes.begin());
}

uint32_t pngUint32(const uint8_t* p)
{
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}

int pngChannels(int colourType)
{
    switch (colourType) {
    case 0: return 1;
    case 2: return 3;
    case 3: return 1;
    case 4: return 2;
    case 6: return 4;
    default: return 0;
    }
}

std::vector<PngPass> pngPasses(uint64_t width, uint64_t height, bool interlaced)
{
    if (!interlaced) return {{0, 0, 1, 1, width, height}};
    const uint64_t x0[7] = {0, 4, 0, 2, 0, 1, 0}, dx[7] = {8, 8, 4, 4, 2, 2, 1}, y0[7] = {0, 0, 4, 0, 2, 0, 1},
                   dy[7] = {8, 8, 8, 4, 4, 2, 2};
    std::vector<PngPass> passes;
    for (int p = 0; p < 7; ++p) {
        const uint64_t w = width > x0[p] ? (width - x0[p] + dx[p] - 1) / dx[p] : 0;
        const uint64_t h = height > y0[p] ? (height - y0[p] + dy[p] - 1) / dy[p] : 0;
        if (w > 0 && h > 0) passes.push_back({x0[p], y0[p], dx[p], dy[p], w, h});
    }
    return passes;
}

uint64_t pngRowBytes(uint64_t width, int channels, int bitDepth)
{
    return (width * uint64_t(channels) * uint64_t(bitDepth) + 7) / 8;
}

uint64_t pngDataBytes(const std::vector<PngPass>& passes, int channels, int bitDepth)
{
    uint64_t bytes = 0;
    for (const PngPass& p : passes) bytes += p.height * (1 + pngRowBytes(p.width, channels, bitDepth));
    return bytes;
}

std::string inflatePngData(const std::vector<uint8_t>& idat, uint64_t expected, std::vector<uint8_t>& out)
{
    out.clear();
    z_stream z{};
    if (inflateInit(&z) != Z_OK) return "the PNG data cannot be inflated";
    z.next_in = const_cast<Bytef*>(idat.data());
    z.avail_in = uInt(idat.size());
    // One byte more than expected, so a stream that runs long is seen as such.
    const uint64_t limit = expected + 1;
    int rc = Z_OK;
    while (rc == Z_OK) {
        if (out.size() == limit) break;
        const size_t used = out.size();
        out.resize(size_t(std::min<uint64_t>(limit, std::max<uint64_t>(65536, uint64_t(used) * 2))));
        const uInt room = uInt(std::min<size_t>(out.size() - used, size_t(1) << 30));
        z.next_out = out.data() + used;
        z.avail_out = room;
        rc = inflate(&z, Z_NO_FLUSH);
        out.resize(used + (room - z.avail_out));
        if (rc == Z_BUF_ERROR && z.avail_in == 0) break; // the input ended before the stream did
        if (rc == Z_BUF_ERROR) rc = Z_OK;                // no progress this round: more room
    }
    inflateEnd(&z);
    if (rc == Z_STREAM_END) return out.size() == expected ? "" : "the PNG image data does not match its size";
    if (out.size() == limit) return "the PNG image data does not match its size";
    if (rc == Z_OK || rc == Z_BUF_ERROR) return "the PNG image data is cut short";
    return "the PNG image data is corrupt";
}

std::string inflatePngRows(const std::vector<uint8_t>& idat, uint32_t width, uint32_t height, int bitDepth,
                           int colourType, bool interlaced, std::vector<uint8_t>& rows)
{
    const int channels = pngChannels(colourType);
    if (channels == 0 || width == 0 || height == 0 || width > (1u << 24) || height > (1u << 24))
        return "the PNG header is invalid";
    const std::vector<PngPass> passes = pngPasses(width, height, interlaced);
    const uint64_t expected = pngDataBytes(passes, channels, bitDepth);
    if (expected > (uint64_t(1) << 32)) return "the PNG image is too large";
    if (std::string problem = inflatePngData(idat, expected, rows); !problem.empty()) return problem;
    uint64_t at = 0;
    for (const PngPass& p : passes) {
        const uint64_t bytes = pngRowBytes(p.width, channels, bitDepth);
        for (uint64_t r = 0; r < p.height; ++r, at += 1 + bytes)
            if (rows[size_t(at)] > 4) return "the PNG image data is corrupt (a row has an unknown filter)";
    }
    return {};
}

} // namespace ra
