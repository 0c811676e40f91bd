#pragma once
// The pre-training corpus of the demo world (its "web"): image-caption pairs rendered on the fly
// from glyphs (60 % digits, 25 % capital letters, 15 % lower-case letters) in the TRAINING
// typefaces only, in the many styles the OOD suite draws on (docs/ood-suite.md): filled, outline,
// bold and thin strokes; ink/paper colour pairs including light on dark; stripes, gradients and
// blotches behind the glyph; clutter strokes; pixel noise; sizes from small to cropped, offsets,
// and rotations mostly within +-15 degrees and a quarter of them within +-60. Captions from
// varied templates ("the digit 7.", "a red seven on a white background.") and, for half the
// unusual digits, words for their style ("an outline of the digit seven.", "a rotated seven.").
// No handwriting, no downstream image and no held-out typeface ever enters it.
// Sample i is a pure function of (seed, i). Torch-free.
#include "demo/fontcatalog.h"
#include "demo/glyphrenderer.h"

#include <random>
#include <string>
#include <utility>
#include <vector>

namespace ra {

struct NamedColour {
    const char* name;
    std::array<uint8_t, 3> rgb;
};

struct CorpusSample {
    DecodedImage image;
    std::string caption;
};

class GlyphCorpus {
public:
    GlyphCorpus(std::vector<FontFace> fonts, uint64_t seed, int side = 32);
    CorpusSample sample(uint64_t index);

    static const std::vector<std::string>& digitWords(); // "zero" ... "nine"
    // The prompt templates that match the corpus's phrasing, for zero-shot heads over digits.
    static const std::vector<std::string>& digitTemplates();
    static const std::vector<NamedColour>& colours();
    // Picks an ink/paper pair with enough contrast (40 % plain black on white).
    static std::pair<const NamedColour*, const NamedColour*> pickColours(std::mt19937_64& rng);
    // A texture's second colour: near PAPER in brightness, far from INK (PAPER when none is).
    static const NamedColour* pickSecondPaper(std::mt19937_64& rng, const NamedColour& ink, const NamedColour& paper);
    // Caption TEMPLATEINDEX (0..9) of the digit D in the given colours.
    static std::string digitCaption(int templateIndex, int d, const std::string& ink, const std::string& paper);

private:
    std::vector<FontFace> m_fonts;
    uint64_t m_seed;
    int m_side;
    GlyphRenderer m_renderer;
};

} // namespace ra
