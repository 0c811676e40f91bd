// Probe: digits in handwriting-imitating typefaces no model here has seen, plain and under a few
// of the suite's shifts.  hwfont-probe FONT_DIR OUT_DIR
#include "demo/glyphrenderer.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <random>

namespace fs = std::filesystem;
using namespace ra;

namespace {
double uniform(std::mt19937_64& r, double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(r); }
using Shift = std::function<void(GlyphStyle&, std::mt19937_64&)>;
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
    std::vector<std::string> fonts;
    for (const auto& e : fs::recursive_directory_iterator(argv[1]))
        if (e.path().extension() == ".ttf" || e.path().extension() == ".otf") fonts.push_back(e.path().string());
    std::sort(fonts.begin(), fonts.end());
    const std::vector<std::pair<std::string, Shift>> shifts = {
        {"plain", [](GlyphStyle&, std::mt19937_64&) {}},
        {"turn",
         [](GlyphStyle& s, std::mt19937_64& r) { s.rotationDegrees = (r() % 2 ? 1 : -1) * uniform(r, 25, 55); }},
        {"small",
         [](GlyphStyle& s, std::mt19937_64& r) {
             s.size = uniform(r, 0.32, 0.45);
             s.offsetX = uniform(r, -0.2, 0.2);
             s.offsetY = uniform(r, -0.2, 0.2);
         }},
        {"clutter", [](GlyphStyle& s, std::mt19937_64&) { s.distractors = 2; }},
        {"inverted",
         [](GlyphStyle& s, std::mt19937_64&) {
             s.ink = {235, 235, 235}, s.paper = {25, 25, 25};
         }},
        {"thin", [](GlyphStyle& s, std::mt19937_64& r) { s.weight = -2 - int(r() % 2); }},
    };
    GlyphRenderer renderer;
    const fs::path out = argv[2];
    for (const auto& [name, shift] : shifts) {
        for (int c = 0; c < 10; ++c) fs::create_directories(out / ("hwfont-" + name) / std::to_string(c));
        std::mt19937_64 rng(91);
        for (int k = 0; k < 500; ++k) {
            const int d = k % 10;
            GlyphStyle s;
            s.fontFile = fonts[size_t(k / 10) % fonts.size()];
            s.size = uniform(rng, 0.5, 0.8);
            s.offsetX = uniform(rng, -0.08, 0.08);
            s.offsetY = uniform(rng, -0.08, 0.08);
            s.rotationDegrees = uniform(rng, -8, 8);
            s.ink = {30, 30, 30};
            s.paper = {240, 240, 240};
            shift(s, rng);
            s.seed = rng();
            save(renderer.render(std::to_string(d), s, 32),
                 out / ("hwfont-" + name) / std::to_string(d) / (std::to_string(k) + ".png"));
        }
    }
    return 0;
}
