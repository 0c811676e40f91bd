// ood-suite.md, entry 32 (exploration, not part of the product): entry 16 measured one shift at a
// time and found scale and position the one kind of shift where R-Adapter keeps far more of what
// pre-training knew than fine-tuning does. ImageNet-R's renditions and ImageNet-Sketch's drawings
// are not centred crops: they come in every framing, as the demo's "web" shows glyphs. These probe
// sets combine the suite's rendition and sketch styles with the web's framings, on fresh renders in
// the held-out typefaces and on the handwritten ID *validation* digits (no test image is touched).
//   framed-probes ID_VAL_DIR OUT_DIR
#include "demo/fontcatalog.h"
#include "demo/glyphrenderer.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <functional>
#include <random>

namespace fs = std::filesystem;
using namespace ra;

namespace {

double uniform(std::mt19937_64& r, double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(r); }

using Change = std::function<void(GlyphStyle&, std::mt19937_64&)>;

// Framings: centred as the suite's renditions are; small and off-centre; the web's mix of sizes
// (0.26 to 1.15 of the side, half of them outside the 0.45-0.85 of a centred glyph), off-centre.
const std::vector<std::pair<std::string, Change>>& framings()
{
    static const std::vector<std::pair<std::string, Change>> all = {
        {"centred", [](GlyphStyle&, std::mt19937_64&) {}},
        {"small",
         [](GlyphStyle& s, std::mt19937_64& r) {
             s.size = uniform(r, 0.32, 0.45);
             s.offsetX = uniform(r, -0.2, 0.2);
             s.offsetY = uniform(r, -0.2, 0.2);
         }},
        {"mixed",
         [](GlyphStyle& s, std::mt19937_64& r) {
             const double f = uniform(r, 0, 1);
             s.size = f < 0.5 ? uniform(r, 0.45, 0.85) : f < 0.75 ? uniform(r, 0.26, 0.45) : uniform(r, 0.85, 1.15);
             s.offsetX = uniform(r, -0.2, 0.2);
             s.offsetY = uniform(r, -0.2, 0.2);
         }},
    };
    return all;
}

// Styles: the suite's printed renditions, its sketches (outline 60 %, thin 40 %), and its colour
// and clutter (half light on dark, textures, two strokes of clutter).
const std::vector<std::pair<std::string, Change>>& styles()
{
    static const std::vector<std::pair<std::string, Change>> all = {
        {"print", [](GlyphStyle&, std::mt19937_64&) {}},
        {"sketch",
         [](GlyphStyle& s, std::mt19937_64& r) {
             if (uniform(r, 0, 1) < 0.6) s.outline = 2 + int(r() % 3);
             else s.weight = -2 - int(r() % 2);
         }},
        {"clutter",
         [](GlyphStyle& s, std::mt19937_64& r) {
             if (r() % 2) s.ink = {235, 235, 235}, s.paper = {25, 25, 25};
             if (r() % 2) {
                 s.background = GlyphBackground(1 + r() % 3);
                 s.paper2 = {150, 170, 200};
             }
             s.distractors = 2;
         }},
    };
    return all;
}

void save(const DecodedImage& image, const fs::path& file)
{
    cv::Mat rgb(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.pixels.data())), bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    cv::imwrite(file.string(), bgr);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3) return 2;
    const fs::path idVal = argv[1], out = argv[2];
    std::vector<std::pair<cv::Mat, int>> digits;
    for (int c = 0; c < 10; ++c)
        for (const auto& e : fs::directory_iterator(idVal / std::to_string(c)))
            digits.emplace_back(cv::imread(e.path().string(), cv::IMREAD_GRAYSCALE), c);
    const auto fonts = FontCatalog::scan().heldOut;
    GlyphRenderer renderer;
    for (const auto& [styleName, style] : styles())
        for (const auto& [framingName, framing] : framings()) {
            const std::string rendered = "print-" + styleName + "-" + framingName;
            const std::string hand = "hand-" + styleName + "-" + framingName;
            for (int c = 0; c < 10; ++c) {
                fs::create_directories(out / rendered / std::to_string(c));
                fs::create_directories(out / hand / std::to_string(c));
            }
            std::mt19937_64 rng(78);
            int i = 0;
            for (const auto& [grey, label] : digits) { // as restyleDigits does (core/demo/digitsshift.cpp)
                std::vector<uint8_t> coverage(grey.total());
                for (size_t k = 0; k < coverage.size(); ++k) coverage[k] = uint8_t(255 - grey.data[k]);
                GlyphStyle s;
                s.size = 0.625;
                s.ink = {30, 30, 30};
                s.paper = {240, 240, 240};
                style(s, rng);
                framing(s, rng);
                s.seed = rng();
                save(renderer.restyle(coverage, grey.cols, s, 32),
                     out / hand / std::to_string(label) / (std::to_string(i++) + ".png"));
            }
            for (int k = 0; k < 500; ++k) { // as printedStyle does, then the style and the framing
                const int d = k % 10;
                GlyphStyle s;
                s.fontFile = fonts[size_t(k / 10) % fonts.size()].file;
                s.size = uniform(rng, 0.5, 0.8);
                s.offsetX = uniform(rng, -0.08, 0.08);
                s.offsetY = uniform(rng, -0.08, 0.08);
                s.rotationDegrees = uniform(rng, -8, 8);
                s.ink = {30, 30, 30};
                s.paper = {240, 240, 240};
                style(s, rng);
                framing(s, rng);
                s.seed = rng();
                save(renderer.render(std::to_string(d), s, 32),
                     out / rendered / std::to_string(d) / (std::to_string(k) + ".png"));
            }
        }
    return 0;
}
