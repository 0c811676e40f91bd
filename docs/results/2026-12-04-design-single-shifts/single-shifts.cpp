// ood-suite.md, entry 16 (exploration, not part of the product): one shift at a time, on the
// handwritten ID *validation* digits (no test image is touched) and on fresh renders in the held-out
// typefaces, to see on which kinds of shift fine-tuning forgets and R-Adapter keeps what it knew.
//   single-shifts ID_VAL_DIR OUT_DIR
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

using Shift = std::function<void(GlyphStyle&, std::mt19937_64&)>;

// Each shift changes one thing of a dark-on-light, upright, centred digit.
const std::vector<std::pair<std::string, Shift>>& shifts()
{
    static const std::vector<std::pair<std::string, Shift>> all = {
        {"plain", [](GlyphStyle&, std::mt19937_64&) {}},
        {"slant10-25",
         [](GlyphStyle& s, std::mt19937_64& r) { s.rotationDegrees = (r() % 2 ? 1 : -1) * uniform(r, 10, 25); }},
        {"turn25-55",
         [](GlyphStyle& s, std::mt19937_64& r) { s.rotationDegrees = (r() % 2 ? 1 : -1) * uniform(r, 25, 55); }},
        {"small",
         [](GlyphStyle& s, std::mt19937_64& r) {
             s.size = uniform(r, 0.32, 0.45);
             s.offsetX = uniform(r, -0.2, 0.2);
             s.offsetY = uniform(r, -0.2, 0.2);
         }},
        {"cropped",
         [](GlyphStyle& s, std::mt19937_64& r) {
             s.size = uniform(r, 0.95, 1.15);
             s.offsetX = uniform(r, -0.15, 0.15);
             s.offsetY = uniform(r, -0.15, 0.15);
         }},
        {"inverted",
         [](GlyphStyle& s, std::mt19937_64&) {
             s.ink = {235, 235, 235}, s.paper = {25, 25, 25};
         }},
        {"outline", [](GlyphStyle& s, std::mt19937_64& r) { s.outline = 2 + int(r() % 3); }},
        {"thin", [](GlyphStyle& s, std::mt19937_64& r) { s.weight = -2 - int(r() % 2); }},
        {"bold", [](GlyphStyle& s, std::mt19937_64& r) { s.weight = 3 + int(r() % 2); }},
        {"texture",
         [](GlyphStyle& s, std::mt19937_64& r) {
             s.background = GlyphBackground(1 + r() % 3);
             s.paper2 = {150, 170, 200};
         }},
        {"clutter", [](GlyphStyle& s, std::mt19937_64&) { s.distractors = 2; }},
        {"noise", [](GlyphStyle& s, std::mt19937_64&) { s.noise = 30; }},
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
    for (const auto& [name, shift] : shifts()) {
        for (int c = 0; c < 10; ++c) {
            fs::create_directories(out / ("hand-" + name) / std::to_string(c));
            fs::create_directories(out / ("print-" + name) / std::to_string(c));
        }
        std::mt19937_64 rng(77);
        int i = 0;
        for (const auto& [grey, label] : digits) { // as restyleDigits does (core/demo/digitsshift.cpp)
            std::vector<uint8_t> coverage(grey.total());
            for (size_t k = 0; k < coverage.size(); ++k) coverage[k] = uint8_t(255 - grey.data[k]);
            GlyphStyle s;
            s.size = 0.625;
            s.ink = {30, 30, 30};
            s.paper = {240, 240, 240};
            shift(s, rng);
            s.seed = rng();
            save(renderer.restyle(coverage, grey.cols, s, 32),
                 out / ("hand-" + name) / std::to_string(label) / (std::to_string(i++) + ".png"));
        }
        for (int k = 0; k < 500; ++k) { // as printedStyle does, then the shift
            const int d = k % 10;
            GlyphStyle s;
            s.fontFile = fonts[size_t(k / 10) % fonts.size()].file;
            s.size = uniform(rng, 0.5, 0.8);
            s.offsetX = uniform(rng, -0.08, 0.08);
            s.offsetY = uniform(rng, -0.08, 0.08);
            s.rotationDegrees = uniform(rng, -8, 8);
            s.ink = {30, 30, 30};
            s.paper = {240, 240, 240};
            shift(s, rng);
            s.seed = rng();
            save(renderer.render(std::to_string(d), s, 32),
                 out / ("print-" + name) / std::to_string(d) / (std::to_string(k) + ".png"));
        }
    }
    return 0;
}
