#include "demo/glyphrenderer.h"

#include "util/error.h"

#include <opencv2/freetype.hpp>
#include <opencv2/imgproc.hpp>

#include <random>

namespace ra {

struct GlyphRenderer::Impl {
    std::map<std::string, cv::Ptr<cv::freetype::FreeType2>> fonts;
    cv::freetype::FreeType2& font(const std::string& file)
    {
        auto it = fonts.find(file);
        if (it != fonts.end()) return *it->second;
        cv::Ptr<cv::freetype::FreeType2> ft = cv::freetype::createFreeType2();
        try {
            ft->loadFontData(file, 0);
        } catch (const cv::Exception&) {
            throw Error(file + ": FreeType cannot load this font.");
        }
        return *(fonts[file] = ft);
    }
};

GlyphRenderer::GlyphRenderer() : d(std::make_unique<Impl>()) {}
GlyphRenderer::~GlyphRenderer() = default;

DecodedImage GlyphRenderer::render(const std::string& text, const GlyphStyle& s, int side)
{
    // Draw at 4x and shrink with area averaging: smooth edges like a scanned or photographed glyph.
    const int big = side * 4;
    cv::Mat canvas(big, big, CV_8UC3, cv::Scalar(s.paper[0], s.paper[1], s.paper[2]));
    auto& ft = d->font(s.fontFile);
    const int height = std::max(4, int(s.size * big));
    int baseline = 0;
    const cv::Size size = ft.getTextSize(text, height, -1, &baseline);
    const cv::Point origin(int((big - size.width) / 2.0 + s.offsetX * big), int((big + size.height) / 2.0 + s.offsetY * big));
    ft.putText(canvas, text, origin, height, cv::Scalar(s.ink[0], s.ink[1], s.ink[2]), -1, cv::LINE_AA, true);
    if (s.rotationDegrees != 0) {
        const cv::Mat rot = cv::getRotationMatrix2D(cv::Point2f(big / 2.0f, big / 2.0f), s.rotationDegrees, 1.0);
        cv::Mat rotated;
        cv::warpAffine(canvas, rotated, rot, canvas.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                       cv::Scalar(s.paper[0], s.paper[1], s.paper[2]));
        canvas = rotated;
    }
    cv::Mat small;
    cv::resize(canvas, small, cv::Size(side, side), 0, 0, cv::INTER_AREA);
    if (s.noise > 0) {
        std::mt19937_64 rng(s.noiseSeed);
        std::normal_distribution<double> n(0, s.noise);
        for (auto it = small.begin<cv::Vec3b>(); it != small.end<cv::Vec3b>(); ++it)
            for (int c = 0; c < 3; ++c) (*it)[c] = cv::saturate_cast<uint8_t>((*it)[c] + n(rng));
    }
    DecodedImage out;
    out.width = out.height = side;
    out.mode = PixelMode::Rgb;
    out.pixels.assign(small.data, small.data + small.total() * 3);
    return out;
}

} // namespace ra
