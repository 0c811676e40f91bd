#include "clip/imagepreprocess.h"

#include "clip/builtindecoder.h"
#include "clip/pngdata.h"
#include "io/lockedfiles.h"
#include "util/error.h"

#ifdef RA_HAVE_OPENCV
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#endif

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

namespace ra {
namespace {

constexpr int kPrecisionBits = 32 - 8 - 2;

double bicubicFilter(double x)
{
    const double a = -0.5;
    if (x < 0.0) x = -x;
    if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
    return 0.0;
}

struct Coefficients {
    int kernelSize = 0;
    std::vector<int> bounds;    // per output: first input index, count
    std::vector<int32_t> fixed; // outSize * kernelSize, fixed point
};

// Pillow's precompute_coeffs + normalize_coeffs_8bpc.
Coefficients precompute(int inSize, int outSize)
{
    const double support0 = 2.0;
    double scale = static_cast<double>(inSize) / outSize;
    double filterscale = scale < 1.0 ? 1.0 : scale;
    const double support = support0 * filterscale;
    Coefficients c;
    c.kernelSize = static_cast<int>(std::ceil(support)) * 2 + 1;
    c.bounds.resize(static_cast<size_t>(outSize) * 2);
    c.fixed.assign(static_cast<size_t>(outSize) * c.kernelSize, 0);
    std::vector<double> k(static_cast<size_t>(c.kernelSize));
    for (int xx = 0; xx < outSize; ++xx) {
        const double center = (xx + 0.5) * scale;
        double ww = 0.0;
        const double ss = 1.0 / filterscale;
        int xmin = static_cast<int>(center - support + 0.5);
        if (xmin < 0) xmin = 0;
        int xmax = static_cast<int>(center + support + 0.5);
        if (xmax > inSize) xmax = inSize;
        xmax -= xmin;
        for (int x = 0; x < xmax; ++x) {
            const double w = bicubicFilter((x + xmin - center + 0.5) * ss);
            k[static_cast<size_t>(x)] = w;
            ww += w;
        }
        for (int x = 0; x < xmax; ++x)
            if (ww != 0.0) k[static_cast<size_t>(x)] /= ww;
        for (int x = 0; x < c.kernelSize; ++x) {
            const double v = x < xmax ? k[static_cast<size_t>(x)] : 0.0;
            c.fixed[static_cast<size_t>(xx) * c.kernelSize + x] = v < 0
                ? static_cast<int32_t>(-0.5 + v * (1 << kPrecisionBits))
                : static_cast<int32_t>(0.5 + v * (1 << kPrecisionBits));
        }
        c.bounds[static_cast<size_t>(xx) * 2] = xmin;
        c.bounds[static_cast<size_t>(xx) * 2 + 1] = xmax;
    }
    return c;
}

inline uint8_t clip8(int32_t in)
{
    if (in >= (1 << kPrecisionBits) * 256) return 255;
    if (in <= 0) return 0;
    return static_cast<uint8_t>(in >> kPrecisionBits);
}

// Horizontal pass over rows [rowBegin, rowBegin + rows).
std::vector<uint8_t> resampleHorizontal(const std::vector<uint8_t>& in, int inWidth, int channels, int rowBegin,
                                        int rows, int outWidth, const Coefficients& c)
{
    std::vector<uint8_t> out(static_cast<size_t>(outWidth) * rows * channels);
    for (int y = 0; y < rows; ++y) {
        const uint8_t* src = in.data() + static_cast<size_t>(rowBegin + y) * inWidth * channels;
        uint8_t* dst = out.data() + static_cast<size_t>(y) * outWidth * channels;
        for (int xx = 0; xx < outWidth; ++xx) {
            const int xmin = c.bounds[static_cast<size_t>(xx) * 2], xmax = c.bounds[static_cast<size_t>(xx) * 2 + 1];
            const int32_t* k = c.fixed.data() + static_cast<size_t>(xx) * c.kernelSize;
            for (int ch = 0; ch < channels; ++ch) {
                int32_t ss = 1 << (kPrecisionBits - 1);
                for (int x = 0; x < xmax; ++x) ss += src[(x + xmin) * channels + ch] * k[x];
                dst[xx * channels + ch] = clip8(ss);
            }
        }
    }
    return out;
}

std::vector<uint8_t> resampleVertical(const std::vector<uint8_t>& in, int width, int channels, int outHeight,
                                      const Coefficients& c, int rowOffset)
{
    std::vector<uint8_t> out(static_cast<size_t>(width) * outHeight * channels);
    const size_t stride = static_cast<size_t>(width) * channels;
    for (int yy = 0; yy < outHeight; ++yy) {
        const int ymin = c.bounds[static_cast<size_t>(yy) * 2] - rowOffset,
                  ymax = c.bounds[static_cast<size_t>(yy) * 2 + 1];
        const int32_t* k = c.fixed.data() + static_cast<size_t>(yy) * c.kernelSize;
        uint8_t* dst = out.data() + static_cast<size_t>(yy) * stride;
        for (size_t i = 0; i < stride; ++i) {
            int32_t ss = 1 << (kPrecisionBits - 1);
            for (int y = 0; y < ymax; ++y) ss += in[static_cast<size_t>(ymin + y) * stride + i] * k[y];
            dst[i] = clip8(ss);
        }
    }
    return out;
}

std::vector<uint8_t> resampleBicubic(const std::vector<uint8_t>& pixels, int width, int height, int channels, int outW,
                                     int outH)
{
    const bool needH = outW != width, needV = outH != height;
    const Coefficients ch = precompute(width, outW), cv = precompute(height, outH);
    const int firstRow = cv.bounds[0];
    const int lastRow = cv.bounds[static_cast<size_t>(outH) * 2 - 2] + cv.bounds[static_cast<size_t>(outH) * 2 - 1];
    if (needH && needV) {
        auto tmp = resampleHorizontal(pixels, width, channels, firstRow, lastRow - firstRow, outW, ch);
        return resampleVertical(tmp, outW, channels, outH, cv, firstRow);
    }
    if (needH) return resampleHorizontal(pixels, width, channels, 0, height, outW, ch);
    if (needV) return resampleVertical(pixels, width, channels, outH, cv, 0);
    return pixels;
}

inline uint8_t mulDiv255(unsigned a, unsigned b)
{
    const unsigned tmp = a * b + 128;
    return static_cast<uint8_t>(((tmp >> 8) + tmp) >> 8);
}

// Reads the PNG header to learn what OpenCV's decoder hides: palette and 1-bit images, which
// Pillow resizes with nearest neighbour.
[[maybe_unused]] bool isPaletteOrBilevelPng(const std::vector<uint8_t>& b)
{
    if (b.size() < 33 || !hasPngSignature(b)) return false;
    const uint8_t bitDepth = b[24], colourType = b[25];
    return colourType == 3 || (colourType == 0 && bitDepth == 1);
}

// A JPEG whose frame header declares far more pixels than its bytes can hold: libjpeg would
// allocate the declared image (gigabytes for a few hundred bytes), "decode" it for a minute and
// only warn. Every 8x8 block of every component costs at least one Huffman-coded bit (its DC
// symbol), so a Huffman-coded frame (SOF0-2) needs at least blocks / 8 bytes. "" when it fits.
std::string jpegSizeDamage(const std::vector<uint8_t>& b)
{
    size_t at = 2;
    while (at + 4 <= b.size()) {
        if (b[at] != 0xFF) return {}; // not a marker where one belongs: libjpeg decides
        const uint8_t marker = b[at + 1];
        if (marker == 0xFF) {
            ++at; // fill byte
            continue;
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
            at += 2; // standalone markers
            continue;
        }
        if (marker == 0xD9 || marker == 0xDA) return {}; // EOI or the first scan: no frame header seen
        const size_t length = size_t(b[at + 2]) << 8 | b[at + 3];
        if (length < 2 || at + 2 + length > b.size()) return {};
        if (marker == 0xC0 || marker == 0xC1 || marker == 0xC2) {
            const uint8_t* f = &b[at + 4];
            if (length < 8) return {};
            const uint64_t height = uint64_t(f[1]) << 8 | f[2], width = uint64_t(f[3]) << 8 | f[4];
            const int components = f[5];
            if (height == 0 || width == 0 || length < size_t(8 + 3 * components)) return {};
            int hMax = 1, vMax = 1;
            for (int c = 0; c < components; ++c) {
                hMax = std::max(hMax, f[6 + 3 * c + 1] >> 4);
                vMax = std::max(vMax, f[6 + 3 * c + 1] & 15);
            }
            uint64_t blocks = 0;
            for (int c = 0; c < components; ++c) {
                const uint64_t h = std::max(1, f[6 + 3 * c + 1] >> 4), v = std::max(1, f[6 + 3 * c + 1] & 15);
                const uint64_t w = (width * h + uint64_t(hMax) - 1) / uint64_t(hMax);
                const uint64_t hh = (height * v + uint64_t(vMax) - 1) / uint64_t(vMax);
                blocks += (w + 7) / 8 * ((hh + 7) / 8);
            }
            if (uint64_t(b.size()) * 8 < blocks)
                return "the JPEG file is far too short for the " + std::to_string(width) + "x" +
                    std::to_string(height) + " image its header declares";
            return {};
        }
        at += 2 + length;
    }
    return {};
}

// The PNG's image data is checked here only in front of OpenCV (libpng prints its own lines for a
// bad stream, and OpenCV returns what it could decode). The built-in decoder inflates and checks it
// itself, with the same function and so the same messages; doing it here too would double the cost.
#ifdef RA_HAVE_OPENCV
constexpr bool kCheckPngData = true;
#else
constexpr bool kCheckPngData = false;
#endif

// OpenCV decodes what it can of a damaged file and says nothing (libjpeg and libpng only print
// warnings), so a truncated or corrupted image would train silently on garbage. The structure is
// checked here first: PNG chunk by chunk with each chunk's CRC up to IEND, JPEG from its SOI to
// its EOI marker. "" when it is sound (or another format), else what is wrong.
std::string structuralDamage(const std::vector<uint8_t>& b)
{
    if (hasPngSignature(b)) {
        size_t at = 8;
        uint32_t width = 0, height = 0;
        int bitDepth = 8, colourType = -1;
        bool interlaced = false;
        std::vector<uint8_t> idat;
        while (true) {
            if (at + 12 > b.size()) return "the PNG file is truncated (it ends before its IEND chunk)";
            const uint32_t length = pngUint32(&b[at]);
            if (length > b.size() - at - 12) return "the PNG file is truncated (a chunk runs past the end of the file)";
            const uint8_t* type = &b[at + 4];
            const uint32_t stored = pngUint32(&b[at + 8 + length]);
            if (uint32_t(crc32(0L, type, uInt(length + 4))) != stored)
                return "the PNG file is corrupt (chunk '" + std::string(reinterpret_cast<const char*>(type), 4) +
                    "' fails its checksum)";
            if (std::equal(type, type + 4, "IHDR") && length >= 13) {
                const uint8_t* h = &b[at + 8];
                width = pngUint32(h);
                height = pngUint32(h + 4);
                bitDepth = h[8];
                colourType = h[9];
                interlaced = h[12] == 1;
            }
            if (kCheckPngData && std::equal(type, type + 4, "IDAT"))
                idat.insert(idat.end(), &b[at + 8], &b[at + 8 + length]);
            if (std::equal(type, type + 4, "IEND")) {
                if (!kCheckPngData) return {};
                std::vector<uint8_t> rows;
                return inflatePngRows(idat, width, height, bitDepth, colourType, interlaced, rows);
            }
            at += 12 + length;
        }
    }
    if (b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) {
        size_t end = b.size();
        while (end > 2 && (b[end - 1] == 0x00 || b[end - 1] == 0x0A || b[end - 1] == 0x0D || b[end - 1] == 0x20))
            --end; // padding
        if (end < 4 || b[end - 2] != 0xFF || b[end - 1] != 0xD9)
            return "the JPEG file is truncated (it does not end with its EOI marker)";
        return jpegSizeDamage(b);
    }
    return {};
}

#ifdef RA_HAVE_OPENCV
DecodedImage decodeWithOpenCv(const std::vector<uint8_t>& bytes, const std::string& source)
{
    cv::Mat mat;
    try {
        mat = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
    } catch (const std::exception&) {
        mat = cv::Mat();
    }
    if (mat.empty() || mat.cols <= 0 || mat.rows <= 0)
        throw Error(source + ": not a readable image (corrupt or unsupported format).");
    if (mat.depth() == CV_16U) mat.convertTo(mat, CV_8U, 1.0 / 256.0);
    else if (mat.depth() != CV_8U) {
        cv::Mat tmp;
        cv::normalize(mat, tmp, 0, 255, cv::NORM_MINMAX, CV_8U);
        mat = tmp;
    }
    DecodedImage img;
    img.width = mat.cols;
    img.height = mat.rows;
    cv::Mat converted;
    switch (mat.channels()) {
    case 1:
        img.mode = PixelMode::Grey;
        converted = mat;
        break;
    case 2:
        cv::cvtColor(mat, converted, cv::COLOR_GRAY2RGBA);
        img.mode = PixelMode::Rgba;
        break; // unusual; keep alpha
    case 3:
        cv::cvtColor(mat, converted, cv::COLOR_BGR2RGB);
        img.mode = PixelMode::Rgb;
        break;
    case 4:
        cv::cvtColor(mat, converted, cv::COLOR_BGRA2RGBA);
        img.mode = PixelMode::Rgba;
        break;
    default: throw Error(source + ": images with " + std::to_string(mat.channels()) + " channels are not supported.");
    }
    if (isPaletteOrBilevelPng(bytes)) {
        // Pillow's "P" converts to RGB by palette lookup (alpha from tRNS is dropped).
        if (converted.channels() == 4) cv::cvtColor(converted, converted, cv::COLOR_RGBA2RGB);
        else if (converted.channels() == 1) cv::cvtColor(converted, converted, cv::COLOR_GRAY2RGB);
        img.mode = PixelMode::Palette;
    }
    converted = converted.isContinuous() ? converted : converted.clone();
    img.pixels.assign(converted.data, converted.data + converted.total() * converted.elemSize());
    return img;
}
#endif

} // namespace

std::string imageDecoderName()
{
#ifdef RA_HAVE_OPENCV
    return std::string("OpenCV ") + CV_VERSION;
#else
    return "built-in (PNG, PGM, PPM; built without OpenCV)";
#endif
}

DecodedImage decodeImageBytes(const std::vector<uint8_t>& bytes, const std::string& source)
{
    if (bytes.empty()) throw Error(source + ": the file is empty.");
    if (const std::string damage = structuralDamage(bytes); !damage.empty()) throw Error(source + ": " + damage + ".");
#ifdef RA_HAVE_OPENCV
    return decodeWithOpenCv(bytes, source);
#else
    return decodeWithBuiltinDecoder(bytes, source);
#endif
}

DecodedImage decodeImage(const std::string& path)
{
    constexpr uintmax_t kMaxImageFileBytes = uintmax_t(256) << 20;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw Error(path + ": no such image file.");
    if (!std::filesystem::is_regular_file(path, ec))
        throw Error(path + ": not a regular file (a folder, a pipe or a device?); give an image file.");
    // Never opened to look: the close would drop the locks this process holds on it.
    if (isLockedByThisProcess(path)) throw Error(path + ": is a run store this program has open, not an image.");
    const auto fileSize = std::filesystem::file_size(path, ec);
    if (ec || fileSize > kMaxImageFileBytes) throw Error(path + ": larger than 256 MB; not an image this tool reads.");
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw Error(path + ": cannot open the image file.");
    const std::streamoff size = in.tellg();
    std::vector<uint8_t> bytes(static_cast<size_t>(std::max<std::streamoff>(0, size)));
    in.seekg(0);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return decodeImageBytes(bytes, path);
}

DecodedImage resizeBicubic(const DecodedImage& image, int width, int height)
{
    if (width == image.width && height == image.height) return image;
    DecodedImage out;
    out.width = width;
    out.height = height;
    out.mode = image.mode;
    const int c = image.channels();
    if (image.mode == PixelMode::Palette) {
        // Pillow forces NEAREST: source index int((x + 0.5) * scale).
        out.pixels.resize(static_cast<size_t>(width) * height * c);
        const double sx = static_cast<double>(image.width) / width, sy = static_cast<double>(image.height) / height;
        for (int y = 0; y < height; ++y) {
            const int srcY = std::min(image.height - 1, static_cast<int>((y + 0.5) * sy));
            for (int x = 0; x < width; ++x) {
                const int srcX = std::min(image.width - 1, static_cast<int>((x + 0.5) * sx));
                std::copy_n(&image.pixels[(static_cast<size_t>(srcY) * image.width + srcX) * c], c,
                            &out.pixels[(static_cast<size_t>(y) * width + x) * c]);
            }
        }
        return out;
    }
    if (image.mode == PixelMode::Rgba) {
        std::vector<uint8_t> pre(image.pixels.size());
        for (size_t i = 0; i < image.pixels.size(); i += 4) {
            const unsigned a = image.pixels[i + 3];
            for (int k = 0; k < 3; ++k) pre[i + k] = mulDiv255(image.pixels[i + k], a);
            pre[i + 3] = static_cast<uint8_t>(a);
        }
        out.pixels = resampleBicubic(pre, image.width, image.height, 4, width, height);
        for (size_t i = 0; i < out.pixels.size(); i += 4) {
            const unsigned a = out.pixels[i + 3];
            if (a == 0 || a == 255) continue;
            for (int k = 0; k < 3; ++k)
                out.pixels[i + k] = static_cast<uint8_t>(std::min(255u, (255u * out.pixels[i + k]) / a));
        }
        return out;
    }
    out.pixels = resampleBicubic(image.pixels, image.width, image.height, c, width, height);
    return out;
}

DecodedImage crop(const DecodedImage& image, int left, int top, int width, int height)
{
    DecodedImage out;
    out.width = width;
    out.height = height;
    out.mode = image.mode;
    const int c = image.channels();
    out.pixels.assign(static_cast<size_t>(width) * height * c, 0);
    for (int y = 0; y < height; ++y) {
        const int sy = top + y;
        if (sy < 0 || sy >= image.height) continue;
        for (int x = 0; x < width; ++x) {
            const int sx = left + x;
            if (sx < 0 || sx >= image.width) continue;
            std::copy_n(&image.pixels[(static_cast<size_t>(sy) * image.width + sx) * c], c,
                        &out.pixels[(static_cast<size_t>(y) * width + x) * c]);
        }
    }
    return out;
}

std::vector<uint8_t> toRgb(const DecodedImage& image)
{
    const size_t n = static_cast<size_t>(image.width) * image.height;
    std::vector<uint8_t> rgb(n * 3);
    const int c = image.channels();
    for (size_t i = 0; i < n; ++i) {
        if (c == 1) {
            rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = image.pixels[i];
        } else {
            for (int k = 0; k < 3; ++k) rgb[i * 3 + k] = image.pixels[i * c + k];
        }
    }
    return rgb;
}

std::vector<float> normaliseRgb(const std::vector<uint8_t>& rgb, int width, int height)
{
    static const float mean[3] = {0.48145466f, 0.4578275f, 0.40821073f};
    static const float stdev[3] = {0.26862954f, 0.26130258f, 0.27577711f};
    const size_t plane = static_cast<size_t>(width) * height;
    std::vector<float> out(plane * 3);
    for (int ch = 0; ch < 3; ++ch)
        for (size_t i = 0; i < plane; ++i) {
            const float v = static_cast<float>(rgb[i * 3 + ch]) / 255.0f;
            out[ch * plane + i] = (v - mean[ch]) / stdev[ch];
        }
    return out;
}

std::vector<float> clipPreprocess(const DecodedImage& image, int n)
{
    // torchvision Resize(int): shorter side to n, longer side int(n * long / short).
    int w = image.width, h = image.height;
    int newW, newH;
    if (w <= h) {
        newW = n;
        newH = static_cast<int>(static_cast<double>(static_cast<int64_t>(n) * h) / w);
    } else {
        newH = n;
        newW = static_cast<int>(static_cast<double>(static_cast<int64_t>(n) * w) / h);
    }
    const DecodedImage resized = resizeBicubic(image, newW, newH);
    // CenterCrop: Python round() is round-half-to-even; std::nearbyint uses the same default mode.
    const int top = static_cast<int>(std::nearbyint((resized.height - n) / 2.0));
    const int left = static_cast<int>(std::nearbyint((resized.width - n) / 2.0));
    const DecodedImage cropped = crop(resized, left, top, n, n);
    return normaliseRgb(toRgb(cropped), n, n);
}

} // namespace ra
