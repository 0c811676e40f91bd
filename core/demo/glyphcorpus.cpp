#include "demo/glyphcorpus.h"

#include <random>

namespace ra {
namespace {

const NamedColour kColours[] = {
    {"black", {20, 20, 20}},     {"white", {245, 245, 245}}, {"red", {210, 30, 30}},     {"green", {30, 160, 50}},
    {"blue", {30, 60, 210}},     {"yellow", {240, 220, 40}}, {"orange", {245, 140, 20}}, {"purple", {130, 40, 170}},
    {"grey", {128, 128, 128}},   {"brown", {120, 70, 30}},   {"pink", {240, 150, 190}},  {"cyan", {40, 200, 220}}};

double luminance(const std::array<uint8_t, 3>& c) { return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]; }

std::string substitute(std::string t, const std::string& key, const std::string& value)
{
    for (size_t p; (p = t.find(key)) != std::string::npos;) t.replace(p, key.size(), value);
    return t;
}

} // namespace

const std::vector<NamedColour>& GlyphCorpus::colours()
{
    static const std::vector<NamedColour> c(std::begin(kColours), std::end(kColours));
    return c;
}

std::pair<const NamedColour*, const NamedColour*> GlyphCorpus::pickColours(std::mt19937_64& rng)
{
    std::uniform_real_distribution<double> u(0, 1);
    const NamedColour* ink = &kColours[0];
    const NamedColour* paper = &kColours[1];
    if (u(rng) > 0.4) {
        do {
            ink = &kColours[rng() % std::size(kColours)];
            paper = &kColours[rng() % std::size(kColours)];
        } while (ink == paper || std::abs(luminance(ink->rgb) - luminance(paper->rgb)) < 70);
    }
    return {ink, paper};
}

std::string GlyphCorpus::digitCaption(int templateIndex, int d, const std::string& fg, const std::string& bg)
{
    static const char* templates[] = {"the digit {n}.", "the number {w}.", "a photo of the number {w}.", "a picture of a {w}.",
                                      "the digit {w}.", "a {fg} {w}.", "a {fg} {w} on a {bg} background.",
                                      "the number {w} written in {fg}.", "an image of the number {w}.", "{w}."};
    return substitute(substitute(substitute(substitute(templates[templateIndex % 10], "{n}", std::to_string(d)), "{w}", digitWords()[size_t(d)]), "{fg}", fg), "{bg}", bg);
}

const std::vector<std::string>& GlyphCorpus::digitWords()
{
    static const std::vector<std::string> w = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
    return w;
}

const std::vector<std::string>& GlyphCorpus::digitTemplates()
{
    static const std::vector<std::string> t = {"a photo of the number {}.", "the number {}.", "a picture of a {}.", "the digit {}.",
                                               "an image of the number {}."};
    return t;
}

GlyphCorpus::GlyphCorpus(std::vector<FontFace> fonts, uint64_t seed, int side) : m_fonts(std::move(fonts)), m_seed(seed), m_side(side) {}

CorpusSample GlyphCorpus::sample(uint64_t index)
{
    std::seed_seq seq{uint32_t(m_seed), uint32_t(m_seed >> 32), uint32_t(index), uint32_t(index >> 32), 77u};
    std::mt19937_64 rng(seq);
    std::uniform_real_distribution<double> u(0, 1);
    auto pick = [&](size_t n) { return size_t(rng() % n); };

    GlyphStyle style;
    style.fontFile = m_fonts[pick(m_fonts.size())].file;
    style.size = 0.45 + 0.4 * u(rng);
    style.offsetX = (u(rng) - 0.5) * 0.24;
    style.offsetY = (u(rng) - 0.5) * 0.24;
    style.rotationDegrees = (u(rng) - 0.5) * 30;
    const auto [ink, paper] = pickColours(rng);
    style.ink = ink->rgb;
    style.paper = paper->rgb;
    if (u(rng) < 0.3) {
        style.noise = 20 * u(rng);
        style.noiseSeed = rng();
    }

    std::string glyph, caption;
    const double kind = u(rng);
    const std::string fg = ink->name, bg = paper->name;
    if (kind < 0.6) {
        const int d = int(pick(10));
        glyph = std::to_string(d);
        caption = digitCaption(int(pick(10)), d, fg, bg);
    } else {
        const bool upper = kind < 0.85;
        const char c = char((upper ? 'A' : 'a') + int(pick(26)));
        glyph = std::string(1, c);
        const std::string letter(1, char(std::toupper(c)));
        static const char* upperTemplates[] = {"the letter {L}.", "a capital {L}.", "a {fg} letter {L}.", "the letter {L} on a {bg} background.", "a picture of the letter {L}."};
        static const char* lowerTemplates[] = {"the lowercase letter {L}.", "a small {L}.", "a {fg} lowercase {L}.", "a lowercase {L} on a {bg} background.", "a picture of a lowercase {L}."};
        const char* t = upper ? upperTemplates[pick(5)] : lowerTemplates[pick(5)];
        caption = substitute(substitute(substitute(t, "{L}", letter), "{fg}", fg), "{bg}", bg);
    }
    return {m_renderer.render(glyph, style, m_side), caption};
}

} // namespace ra
