#pragma once
// The pre-training corpus of the demo world: image-caption pairs rendered on the fly from glyphs
// (60 % digits, 25 % capital letters, 15 % lower-case letters) in the TRAINING typefaces only,
// with random size, offset, rotation (+-15 degrees), ink/paper colour pairs and pixel noise, and
// captions from varied templates ("the digit 7.", "a photo of the number seven.", "a red seven on
// a white background.", ...). No downstream image and no held-out typeface ever enters it.
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
    // Caption TEMPLATEINDEX (0..9) of the digit D in the given colours.
    static std::string digitCaption(int templateIndex, int d, const std::string& ink, const std::string& paper);

private:
    std::vector<FontFace> m_fonts;
    uint64_t m_seed;
    int m_side;
    GlyphRenderer m_renderer;
};

} // namespace ra
