#pragma once
// Renders one glyph (a digit or a letter) into a small RGB image with a chosen typeface, size,
// offset, rotation and colours, through OpenCV's FreeType module. Torch-free.
//
// Thread-safety: one renderer per thread (FreeType faces are cached inside).
#include "clip/imagepreprocess.h"

#include <array>
#include <map>
#include <memory>
#include <string>

namespace ra {

struct GlyphStyle {
    std::string fontFile;
    double size = 0.7;          // glyph height as a fraction of the image side
    double offsetX = 0, offsetY = 0; // fractions of the image side
    double rotationDegrees = 0;
    std::array<uint8_t, 3> ink{0, 0, 0};
    std::array<uint8_t, 3> paper{255, 255, 255};
    double noise = 0;           // standard deviation of Gaussian pixel noise (0..255 scale)
    uint64_t noiseSeed = 0;
};

class GlyphRenderer {
public:
    GlyphRenderer();
    ~GlyphRenderer();
    // A SIDE x SIDE RGB image of TEXT (UTF-8, usually one character). Throws ra::Error when the
    // font cannot be loaded.
    DecodedImage render(const std::string& text, const GlyphStyle& style, int side = 32);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace ra
