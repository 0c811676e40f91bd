#include "demo/glyphcorpus.h"

#include <random>

namespace ra {
namespace {

const NamedColour kColours[] = {{"black", {20, 20, 20}},    {"white", {245, 245, 245}}, {"red", {210, 30, 30}},
                                {"green", {30, 160, 50}},   {"blue", {30, 60, 210}},    {"yellow", {240, 220, 40}},
                                {"orange", {245, 140, 20}}, {"purple", {130, 40, 170}}, {"grey", {128, 128, 128}},
                                {"brown", {120, 70, 30}},   {"pink", {240, 150, 190}},  {"cyan", {40, 200, 220}}};

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
    static const char* templates[] = {"the digit {n}.",
                                      "the number {w}.",
                                      "a photo of the number {w}.",
                                      "a picture of a {w}.",
                                      "the digit {w}.",
                                      "a {fg} {w}.",
                                      "a {fg} {w} on a {bg} background.",
                                      "the number {w} written in {fg}.",
                                      "an image of the number {w}.",
                                      "{w}."};
    return substitute(substitute(substitute(substitute(templates[templateIndex % 10], "{n}", std::to_string(d)), "{w}",
                                            digitWords()[size_t(d)]),
                                 "{fg}", fg),
                      "{bg}", bg);
}

const std::vector<std::string>& GlyphCorpus::digitWords()
{
    static const std::vector<std::string> w = {"zero", "one", "two",   "three", "four",
                                               "five", "six", "seven", "eight", "nine"};
    return w;
}

const std::vector<std::string>& GlyphCorpus::digitTemplates()
{
    static const std::vector<std::string> t = {"a photo of the number {}.", "the number {}.", "a picture of a {}.",
                                               "the digit {}.", "an image of the number {}."};
    return t;
}

GlyphCorpus::GlyphCorpus(std::vector<FontFace> fonts, uint64_t seed, int side)
    : m_fonts(std::move(fonts)), m_seed(seed), m_side(side)
{}

const NamedColour* GlyphCorpus::pickSecondPaper(std::mt19937_64& rng, const NamedColour& ink, const NamedColour& paper)
{
    // Close enough to the paper that the ink stands out from both colours of the texture.
    for (int tries = 0; tries < 40; ++tries) {
        const NamedColour* c = &kColours[rng() % std::size(kColours)];
        if (c != &paper && std::abs(luminance(c->rgb) - luminance(paper.rgb)) < 80 &&
            std::abs(luminance(c->rgb) - luminance(ink.rgb)) >= 70)
            return c;
    }
    return &paper;
}

CorpusSample GlyphCorpus::sample(uint64_t index)
{
    std::seed_seq seq{uint32_t(m_seed), uint32_t(m_seed >> 32), uint32_t(index), uint32_t(index >> 32), 78u};
    std::mt19937_64 rng(seq);
    std::uniform_real_distribution<double> u(0, 1);
    auto pick = [&](size_t n) { return size_t(rng() % n); };

    GlyphStyle style;
    style.fontFile = m_fonts[pick(m_fonts.size())].file;
    style.seed = rng();
    // Pose and framing: mostly upright and centred; sometimes small, large and cropped, off-centre
    // or turned far (the web shows objects in every pose).
    const double framing = u(rng);
    style.size = framing < 0.75 ? 0.45 + 0.4 * u(rng) : framing < 0.88 ? 0.26 + 0.19 * u(rng) : 0.85 + 0.3 * u(rng);
    const double shift = u(rng) < 0.8 ? 0.24 : 0.5;
    style.offsetX = (u(rng) - 0.5) * shift;
    style.offsetY = (u(rng) - 0.5) * shift;
    const bool turned = u(rng) < 0.25;
    style.rotationDegrees = (u(rng) - 0.5) * (turned ? 120 : 30);
    // Stroke: filled, outline only, bolder or thinner.
    enum { Filled, Outline, Bold, Thin } stroke = Filled;
    const double strokeDraw = u(rng);
    if (strokeDraw < 0.15) {
        stroke = Outline;
        style.outline = 2 + int(pick(4));
    } else if (strokeDraw < 0.25) {
        stroke = Bold;
        style.weight = 2 + int(pick(4));
    } else if (strokeDraw < 0.35) {
        stroke = Thin;
        style.weight = -1 - int(pick(3));
    }
    const auto [ink, paper] = pickColours(rng);
    style.ink = ink->rgb;
    style.paper = paper->rgb;
    if (u(rng) < 0.25) {
        style.background = GlyphBackground(1 + pick(3));
        style.paper2 = pickSecondPaper(rng, *ink, *paper)->rgb;
    }
    if (u(rng) < 0.12) style.distractors = 1 + int(pick(3));
    if (u(rng) < 0.3) style.noise = 20 * u(rng);

    std::string glyph, caption;
    const double kind = u(rng);
    const std::string fg = ink->name, bg = paper->name;
    if (kind < 0.6) {
        const int d = int(pick(10));
        glyph = std::to_string(d);
        // Half the captions say how the digit looks, when it looks unusual, so the text tower
        // learns the words for the styles too.
        std::vector<std::string> styled;
        if (stroke == Outline) styled = {"an outline of the digit {w}.", "a hollow {w}."};
        if (stroke == Bold) styled = {"a bold {w}.", "the number {w} in heavy type."};
        if (stroke == Thin) styled = {"a thin {w}.", "the number {w} in light type."};
        if (turned && std::abs(style.rotationDegrees) > 20)
            styled.insert(styled.end(), {"a rotated {w}.", "a tilted number {w}."});
        if (style.size < 0.45) styled.push_back("a small {w}.");
        if (style.size > 0.85) styled.push_back("a large {w}, cropped.");
        if (style.background == GlyphBackground::Stripes) styled.push_back("a {w} on a striped background.");
        if (style.background == GlyphBackground::Gradient) styled.push_back("a {w} on a gradient background.");
        if (style.background == GlyphBackground::Blotches) styled.push_back("a {w} on a patterned background.");
        if (style.distractors > 0) styled.push_back("a {w} with lines across it.");
        if (!styled.empty() && u(rng) < 0.5)
            caption = substitute(styled[pick(styled.size())], "{w}", digitWords()[size_t(d)]);
        else caption = digitCaption(int(pick(10)), d, fg, bg);
    } else {
        const bool upper = kind < 0.85;
        const char c = char((upper ? 'A' : 'a') + int(pick(26)));
        glyph = std::string(1, c);
        const std::string letter(1, char(std::toupper(c)));
        static const char* upperTemplates[] = {"the letter {L}.", "a capital {L}.", "a {fg} letter {L}.",
                                               "the letter {L} on a {bg} background.", "a picture of the letter {L}."};
        static const char* lowerTemplates[] = {"the lowercase letter {L}.", "a small {L}.", "a {fg} lowercase {L}.",
                                               "a lowercase {L} on a {bg} background.",
                                               "a picture of a lowercase {L}."};
        const char* t = upper ? upperTemplates[pick(5)] : lowerTemplates[pick(5)];
        caption = substitute(substitute(substitute(t, "{L}", letter), "{fg}", fg), "{bg}", bg);
    }
    return {m_renderer.render(glyph, style, m_side), caption};
}

} // namespace ra
