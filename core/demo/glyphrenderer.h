#pragma once
// Renders one glyph (a digit or a letter) into a small RGB image with a chosen typeface, size,
// offset, rotation, stroke (filled, outline, bolder or thinner), colours, background texture,
// clutter and noise, through OpenCV's FreeType module. The same renderer draws the pre-training
// corpus (training typefaces) and the printed OOD sets (held-out typefaces), so a style the
// corpus teaches is drawn exactly as the OOD set that asks about it. Torch-free.
//
// Thread-safety: one renderer per thread (FreeType faces are cached inside).
#include "clip/imagepreprocess.h"

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ra {

enum class GlyphBackground { Plain, Stripes, Gradient, Blotches };

struct GlyphStyle {
    std::string fontFile;
    double size = 0.7;               // glyph height as a fraction of the image side
    double offsetX = 0, offsetY = 0; // fractions of the image side
    double rotationDegrees = 0;
    // > 0: only the glyph's outline, this wide in 1/4 pixels of the output (hollow, sketch-like).
    int outline = 0;
    // Stroke weight in 1/4 pixels of the output: > 0 bolder, < 0 thinner (ignored with outline).
    int weight = 0;
    std::array<uint8_t, 3> ink{0, 0, 0};
    std::array<uint8_t, 3> paper{255, 255, 255};
    GlyphBackground background = GlyphBackground::Plain;
    std::array<uint8_t, 3> paper2{255, 255, 255}; // a texture's second colour
    int distractors = 0;                          // random strokes in the ink colour (clutter)
    double noise = 0;                             // standard deviation of Gaussian pixel noise (0..255 scale)
    uint64_t seed = 0;                            // texture, distractors and noise
};

class GlyphRenderer {
public:
    GlyphRenderer();
    ~GlyphRenderer();
    // A SIDE x SIDE RGB image of TEXT (UTF-8, usually one character). Throws ra::Error when the
    // font cannot be loaded.
    DecodedImage render(const std::string& text, const GlyphStyle& style, int side = 32);
    // The same styles applied to an existing glyph image: COVERAGE (COVERAGE_SIDE squared bytes,
    // 255 = ink; a handwritten digit) is scaled by style.size / 0.625, moved, turned, stroked and
    // coloured as a rendered glyph would be. style.fontFile is not used.
    DecodedImage restyle(const std::vector<uint8_t>& coverage, int coverageSide, const GlyphStyle& style,
                         int side = 32);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace ra
