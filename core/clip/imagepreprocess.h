#pragma once
// Image decoding and CLIP's preprocessing, reproducing Pillow + torchvision exactly:
// Resize(shorter side, Pillow's 8-bit fixed-point two-pass bicubic) -> CenterCrop (round half to
// even) -> convert("RGB") -> ToTensor -> Normalize. Pillow's mode rules are kept: palette and
// 1-bit images resize with nearest neighbour, RGBA is resized premultiplied, greyscale stays one
// channel until the RGB conversion. Torch-free.
//
// Known deviations: 16-bit images are reduced to 8 bits (v / 256, rounded) before resizing; CMYK JPEGs
// are converted by OpenCV rather than Pillow.
//
// Thread-safety: pure functions, safe from any thread.
#include <cstdint>
#include <string>
#include <vector>

namespace ra {

enum class PixelMode { Grey, Rgb, Rgba, Palette };

struct DecodedImage {
    int width = 0;
    int height = 0;
    PixelMode mode = PixelMode::Rgb;
    std::vector<uint8_t> pixels; // row-major; 1 (Grey), 3 (RGB, Palette expanded) or 4 (RGBA) channels
    int channels() const { return mode == PixelMode::Grey ? 1 : mode == PixelMode::Rgba ? 4 : 3; }
};

// Decodes a file with OpenCV (EXIF orientation ignored, like Pillow), or in a build without OpenCV
// with the built-in PNG/PGM/PPM decoder (clip/builtindecoder.h). Throws ra::Error naming the file
// when it is missing, unreadable or not an image.
DecodedImage decodeImage(const std::string& path);
// What decodes images in this build: "OpenCV 4.6.0", or the built-in decoder and what it reads.
std::string imageDecoderName();
// Decodes encoded bytes (PNG, JPEG, ...); SOURCE names them in errors.
DecodedImage decodeImageBytes(const std::vector<uint8_t>& bytes, const std::string& source);

// Pillow's Image.resize(size, BICUBIC) with its mode rules (nearest for palette images).
DecodedImage resizeBicubic(const DecodedImage& image, int width, int height);
// Pillow's crop (exact copy; the box must lie inside the image).
DecodedImage crop(const DecodedImage& image, int left, int top, int width, int height);
// Drops alpha / expands grey: the RGB bytes Pillow's convert("RGB") gives.
std::vector<uint8_t> toRgb(const DecodedImage& image);

// CLIP's eval transform: returns a float32 CHW tensor [3, resolution, resolution], normalised.
std::vector<float> clipPreprocess(const DecodedImage& image, int resolution);
// ToTensor + Normalize of an RGB image already at its final size.
std::vector<float> normaliseRgb(const std::vector<uint8_t>& rgb, int width, int height);

} // namespace ra
