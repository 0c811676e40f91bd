#include "clip/builtindecoder.h"

#include "clip/pngdata.h"
#include "util/error.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>

namespace ra {
namespace {

// A few compressed bytes can declare a huge image; this bounds what one file may ask for (about
// 2 GB while decoding).
constexpr uint64_t kMaxPixels = uint64_t(1) << 28;

// OpenCV reads 16-bit files as 16-bit and decodeImageBytes reduces them with convertTo(1/256),
// which rounds half to even; the same here.
uint8_t reduce16(uint32_t v) { return uint8_t(std::min(255.0, std::nearbyint(double(v) / 256.0))); }

int paeth(int a, int b, int c)
{
    const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
    if (pa <= pb && pa <= pc) return a;
    return pb <= pc ? b : c;
}

struct PngHeader {
    uint32_t width = 0, height = 0;
    int bitDepth = 0, colourType = -1;
    bool interlaced = false;
    std::vector<uint8_t> palette; // PLTE, RGB triples
    std::vector<uint8_t> trns;    // tRNS as stored
    std::vector<uint8_t> idat;    // every IDAT chunk's data, concatenated
};

PngHeader readPngChunks(const std::vector<uint8_t>& b, const std::string& source)
{
    PngHeader h;
    size_t at = 8;
    while (at + 12 <= b.size()) {
        const uint32_t length = pngUint32(&b[at]);
        if (length > b.size() - at - 12) break;
        const uint8_t* type = &b[at + 4];
        const uint8_t* data = &b[at + 8];
        if (std::memcmp(type, "IHDR", 4) == 0 && length >= 13) {
            h.width = pngUint32(data);
            h.height = pngUint32(data + 4);
            h.bitDepth = data[8];
            h.colourType = data[9];
            h.interlaced = data[12] == 1;
        } else if (std::memcmp(type, "PLTE", 4) == 0) {
            h.palette.assign(data, data + length);
        } else if (std::memcmp(type, "tRNS", 4) == 0) {
            h.trns.assign(data, data + length);
        } else if (std::memcmp(type, "IDAT", 4) == 0) {
            h.idat.insert(h.idat.end(), data, data + length);
        } else if (std::memcmp(type, "IEND", 4) == 0) {
            break;
        }
        at += 12 + length;
    }
    const int c = h.colourType;
    const int d = h.bitDepth;
    const bool valid = (c == 0 && (d == 1 || d == 2 || d == 4 || d == 8 || d == 16)) ||
        (c == 3 && (d == 1 || d == 2 || d == 4 || d == 8)) || ((c == 2 || c == 4 || c == 6) && (d == 8 || d == 16));
    if (!valid || h.width == 0 || h.height == 0) throw Error(source + ": the PNG header is invalid.");
    if (uint64_t(h.width) * h.height > kMaxPixels)
        throw Error(source + ": the PNG image is larger than " + std::to_string(kMaxPixels >> 20) + " megapixels.");
    if (c == 3 && h.palette.empty()) throw Error(source + ": the palette PNG has no palette (PLTE chunk).");
    return h;
}

// Undoes the five PNG row filters in place; RAW holds ROWS rows of 1 + ROWBYTES bytes.
void unfilter(uint8_t* raw, uint64_t rows, uint64_t rowBytes, int pixelBytes)
{
    const uint8_t* previous = nullptr;
    for (uint64_t r = 0; r < rows; ++r) {
        uint8_t* row = raw + r * (1 + rowBytes);
        const int filter = row[0];
        uint8_t* x = row + 1;
        for (uint64_t i = 0; i < rowBytes; ++i) {
            const int a = i >= uint64_t(pixelBytes) ? x[i - pixelBytes] : 0;
            const int up = previous ? previous[i] : 0;
            const int c = previous && i >= uint64_t(pixelBytes) ? previous[i - pixelBytes] : 0;
            int add = 0;
            switch (filter) {
            case 1: add = a; break;
            case 2: add = up; break;
            case 3: add = (a + up) / 2; break;
            case 4: add = paeth(a, up, c); break;
            default: break;
            }
            x[i] = uint8_t(x[i] + add);
        }
        previous = x;
    }
}

// Sample I of a row at bit depth DEPTH (big-endian, most significant bits first).
uint32_t sampleAt(const uint8_t* row, uint64_t i, int depth)
{
    if (depth == 16) return uint32_t(row[2 * i]) << 8 | row[2 * i + 1];
    if (depth == 8) return row[i];
    const uint64_t bit = i * uint64_t(depth);
    const int shift = 8 - depth - int(bit % 8);
    return (row[bit / 8] >> shift) & ((1u << depth) - 1);
}

DecodedImage decodePng(const std::vector<uint8_t>& bytes, const std::string& source)
{
    const PngHeader h = readPngChunks(bytes, source);
    const int channels = pngChannels(h.colourType);
    const int depth = h.bitDepth;
    const uint64_t width = h.width, height = h.height;
    const int pixelBytes = std::max(1, channels * depth / 8);

    std::vector<uint8_t> raw;
    if (const std::string problem = inflatePngRows(h.idat, h.width, h.height, depth, h.colourType, h.interlaced, raw);
        !problem.empty())
        throw Error(source + ": " + problem + ".");
    const std::vector<PngPass> passes = pngPasses(width, height, h.interlaced);

    // Every sample at its own depth, image order, before any conversion.
    std::vector<uint16_t> samples(size_t(width * height * uint64_t(channels)));
    uint64_t at = 0;
    for (const PngPass& p : passes) {
        const uint64_t rb = pngRowBytes(p.width, channels, depth);
        unfilter(raw.data() + at, p.height, rb, pixelBytes);
        for (uint64_t r = 0; r < p.height; ++r) {
            const uint8_t* row = raw.data() + at + r * (1 + rb) + 1;
            const uint64_t y = p.y0 + r * p.dy;
            for (uint64_t i = 0; i < p.width; ++i) {
                const uint64_t x = p.x0 + i * p.dx;
                for (int c = 0; c < channels; ++c)
                    samples[size_t((y * width + x) * uint64_t(channels) + uint64_t(c))] = uint16_t(
                        sampleAt(row, i * uint64_t(channels) + uint64_t(c), depth));
            }
        }
        at += p.height * (1 + rb);
    }

    // What OpenCV's PNG reader (IMREAD_UNCHANGED) and decodeImageBytes then make of it.
    auto toByte = [depth](uint32_t v) -> uint8_t {
        switch (depth) {
        case 1: return v ? 255 : 0;
        case 2: return uint8_t(v * 85);
        case 4: return uint8_t(v * 17);
        case 16: return reduce16(v);
        default: return uint8_t(v);
        }
    };
    DecodedImage img;
    img.width = int(width);
    img.height = int(height);
    const size_t n = size_t(width * height);
    switch (h.colourType) {
    case 0:
        // 1-bit grey is bilevel, which Pillow treats like a palette image (nearest-neighbour resize).
        img.mode = depth == 1 ? PixelMode::Palette : PixelMode::Grey;
        img.pixels.resize(n * size_t(img.channels()));
        for (size_t i = 0; i < n; ++i)
            for (int c = 0; c < img.channels(); ++c)
                img.pixels[i * size_t(img.channels()) + size_t(c)] = toByte(samples[i]);
        break;
    case 3: {
        img.mode = PixelMode::Palette; // alpha from tRNS is dropped, as Pillow's convert("RGB") does
        img.pixels.resize(n * 3);
        const size_t entries = h.palette.size() / 3;
        for (size_t i = 0; i < n; ++i)
            for (int c = 0; c < 3; ++c)
                img.pixels[i * 3 + size_t(c)] = samples[i] < entries ? h.palette[samples[i] * 3 + size_t(c)] : 0;
        break;
    }
    case 2: {
        // A tRNS colour key makes OpenCV add an alpha channel: 0 where the pixel is that colour.
        const bool keyed = h.trns.size() >= 6;
        uint32_t key[3] = {0, 0, 0};
        if (keyed)
            for (int c = 0; c < 3; ++c) key[c] = uint32_t(h.trns[size_t(2 * c)]) << 8 | h.trns[size_t(2 * c + 1)];
        img.mode = keyed ? PixelMode::Rgba : PixelMode::Rgb;
        const int out = img.channels();
        img.pixels.resize(n * size_t(out));
        for (size_t i = 0; i < n; ++i) {
            const uint16_t* s = &samples[i * 3];
            for (int c = 0; c < 3; ++c) img.pixels[i * size_t(out) + size_t(c)] = toByte(s[c]);
            if (keyed) img.pixels[i * 4 + 3] = s[0] == key[0] && s[1] == key[1] && s[2] == key[2] ? 0 : 255;
        }
        break;
    }
    case 4:
    case 6: {
        img.mode = PixelMode::Rgba;
        img.pixels.resize(n * 4);
        for (size_t i = 0; i < n; ++i) {
            const uint16_t* s = &samples[i * size_t(channels)];
            const uint8_t alpha = toByte(s[channels - 1]);
            for (int c = 0; c < 3; ++c) img.pixels[i * 4 + size_t(c)] = toByte(channels == 2 ? s[0] : s[c]);
            img.pixels[i * 4 + 3] = alpha;
        }
        break;
    }
    default: break;
    }
    return img;
}

// Binary PGM (P5) and PPM (P6): a text header (magic, width, height, maxval; '#' comments),
// one whitespace byte, then the samples, one byte each up to maxval 255, else two (big-endian).
DecodedImage decodePnm(const std::vector<uint8_t>& b, const std::string& source)
{
    const bool colour = b[1] == '6';
    size_t at = 2;
    uint64_t fields[3] = {0, 0, 0};
    for (uint64_t& field : fields) {
        while (at < b.size() && (std::isspace(b[at]) || b[at] == '#')) {
            if (b[at] == '#')
                while (at < b.size() && b[at] != '\n') ++at;
            else ++at;
        }
        if (at >= b.size() || !std::isdigit(b[at])) throw Error(source + ": the PNM header is invalid.");
        while (at < b.size() && std::isdigit(b[at]) && field < (uint64_t(1) << 32))
            field = field * 10 + (b[at++] - '0');
    }
    const uint64_t width = fields[0], height = fields[1], maxval = fields[2];
    if (width == 0 || height == 0 || width > (1u << 24) || height > (1u << 24) || maxval == 0 || maxval > 65535)
        throw Error(source + ": the PNM header is invalid.");
    if (width * height > kMaxPixels)
        throw Error(source + ": the PNM image is larger than " + std::to_string(kMaxPixels >> 20) + " megapixels.");
    if (maxval != 255 && maxval != 65535)
        throw Error(source + ": PNM files with a maximum value of " + std::to_string(maxval) +
                    " need a build with OpenCV (this one reads 255 and 65535).");
    ++at; // the single whitespace byte after maxval
    const int channels = colour ? 3 : 1;
    const int sampleBytes = maxval > 255 ? 2 : 1;
    const uint64_t need = width * height * uint64_t(channels) * uint64_t(sampleBytes);
    if (at > b.size() || b.size() - at < need) throw Error(source + ": the PNM file is truncated.");
    DecodedImage img;
    img.width = int(width);
    img.height = int(height);
    img.mode = colour ? PixelMode::Rgb : PixelMode::Grey;
    img.pixels.resize(size_t(width * height * uint64_t(channels)));
    for (size_t i = 0; i < img.pixels.size(); ++i)
        img.pixels[i] = sampleBytes == 1 ? b[at + i] : reduce16(uint32_t(b[at + 2 * i]) << 8 | b[at + 2 * i + 1]);
    return img;
}

bool isBinaryPnm(const std::vector<uint8_t>& b)
{
    return b.size() >= 3 && b[0] == 'P' && (b[1] == '5' || b[1] == '6') && std::isspace(b[2]);
}

} // namespace

bool builtinDecoderReads(const std::vector<uint8_t>& bytes) { return hasPngSignature(bytes) || isBinaryPnm(bytes); }

DecodedImage decodeWithBuiltinDecoder(const std::vector<uint8_t>& bytes, const std::string& source)
{
    if (hasPngSignature(bytes)) return decodePng(bytes, source);
    if (isBinaryPnm(bytes)) return decodePnm(bytes, source);
    throw Error(source +
                ": this radapter was built without OpenCV and reads PNG, PGM and PPM images only; "
                "convert the image or use a build with OpenCV.");
}

} // namespace ra
