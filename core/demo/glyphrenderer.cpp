#include "demo/glyphrenderer.h"

#include "util/error.h"

#include <opencv2/freetype.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <random>

namespace ra {
namespace {

// The paper: one colour, or two blended as stripes, a linear gradient or soft blotches.
cv::Mat backgroundOf(const GlyphStyle& s, int big, std::mt19937_64& rng)
{
    const cv::Vec3d a(s.paper[0], s.paper[1], s.paper[2]), b(s.paper2[0], s.paper2[1], s.paper2[2]);
    cv::Mat bg(big, big, CV_64FC3, cv::Scalar(a[0], a[1], a[2]));
    if (s.background == GlyphBackground::Plain) return bg;
    std::uniform_real_distribution<double> u(0, 1);
    const double angle = u(rng) * M_PI, period = (4 + 8 * u(rng)) * big / 32.0;
    cv::Mat blotch(4, 4, CV_64FC1), blotchBig;
    for (double* p = blotch.ptr<double>(); p != blotch.ptr<double>() + 16; ++p) *p = u(rng);
    cv::resize(blotch, blotchBig, cv::Size(big, big), 0, 0, cv::INTER_CUBIC);
    for (int y = 0; y < big; ++y)
        for (int x = 0; x < big; ++x) {
            const double along = x * std::cos(angle) + y * std::sin(angle);
            double t;
            if (s.background == GlyphBackground::Stripes) t = 0.5 + 0.5 * std::sin(along * 2 * M_PI / period);
            else if (s.background == GlyphBackground::Gradient) t = (along + big) / (2.0 * big);
            else t = blotchBig.at<double>(y, x);
            t = std::clamp(t, 0.0, 1.0);
            bg.at<cv::Vec3d>(y, x) = a * (1 - t) + b * t;
        }
    return bg;
}

// The shared second half of drawing: stroke, turn, clutter, colours, shrink, noise.
DecodedImage compose(cv::Mat mask, const GlyphStyle& s, int side)
{
    const int big = side * 4;
    std::mt19937_64 rng(s.seed);
    if (s.outline > 0) {
        // The glyph's inner rim: the ink minus the ink eroded by the outline's width. Made from the
        // filled glyph, so it works for every font format (FreeType's own outline mode draws
        // nothing for some OpenType faces).
        cv::Mat inner;
        cv::erode(mask, inner,
                  cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * s.outline + 1, 2 * s.outline + 1)));
        mask = mask - inner;
    }
    if (s.outline <= 0 && s.weight != 0) {
        const int r = std::abs(s.weight);
        if (s.weight > 0) {
            cv::dilate(mask, mask, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * r + 1, 2 * r + 1)));
        } else {
            // Thinner, but never so thin that a light typeface's strokes vanish: erode less until
            // at least 40 % of the ink stays.
            const int full = cv::countNonZero(mask);
            for (int k = r; k >= 1; --k) {
                cv::Mat thinner;
                cv::erode(mask, thinner, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * k + 1, 2 * k + 1)));
                if (cv::countNonZero(thinner) >= 0.4 * full) {
                    mask = thinner;
                    break;
                }
            }
        }
    }
    if (s.rotationDegrees != 0) {
        const cv::Mat rot = cv::getRotationMatrix2D(cv::Point2f(big / 2.0f, big / 2.0f), s.rotationDegrees, 1.0);
        cv::warpAffine(mask, mask, rot, mask.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0));
    }
    std::uniform_int_distribution<int> coord(0, big - 1), width(big / 32, big / 12);
    for (int i = 0; i < s.distractors; ++i)
        cv::line(mask, {coord(rng), coord(rng)}, {coord(rng), coord(rng)}, cv::Scalar(255), width(rng), cv::LINE_AA);

    const cv::Mat bg = backgroundOf(s, big, rng);
    const cv::Vec3d ink(s.ink[0], s.ink[1], s.ink[2]);
    cv::Mat canvas(big, big, CV_8UC3);
    for (int y = 0; y < big; ++y)
        for (int x = 0; x < big; ++x) {
            const double a = mask.at<uint8_t>(y, x) / 255.0;
            const cv::Vec3d c = bg.at<cv::Vec3d>(y, x) * (1 - a) + ink * a;
            canvas.at<cv::Vec3b>(y, x) = cv::Vec3b(cv::saturate_cast<uint8_t>(c[0]), cv::saturate_cast<uint8_t>(c[1]),
                                                   cv::saturate_cast<uint8_t>(c[2]));
        }
    cv::Mat small;
    cv::resize(canvas, small, cv::Size(side, side), 0, 0, cv::INTER_AREA);
    if (s.noise > 0) {
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

} // namespace

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
    // Draw the ink as a coverage mask at 4x, shape and turn it there, and shrink the composed
    // image with area averaging: smooth edges like a scanned or photographed glyph.
    const int big = side * 4;
    cv::Mat ink3(big, big, CV_8UC3, cv::Scalar(0, 0, 0)); // FreeType draws on 3-channel images only
    auto& ft = d->font(s.fontFile);
    const int height = std::max(4, int(s.size * big));
    int baseline = 0;
    const cv::Size size = ft.getTextSize(text, height, -1, &baseline);
    const cv::Point origin(int((big - size.width) / 2.0 + s.offsetX * big),
                           int((big + size.height) / 2.0 + s.offsetY * big));
    ft.putText(ink3, text, origin, height, cv::Scalar(255, 255, 255), -1, cv::LINE_AA, true);
    cv::Mat mask;
    cv::extractChannel(ink3, mask, 0);
    return compose(mask, s, side);
}

DecodedImage GlyphRenderer::restyle(const std::vector<uint8_t>& coverage, int coverageSide, const GlyphStyle& s,
                                    int side)
{
    // The image's own ink, enlarged to the 4x canvas, then placed as STYLE says: SIZE relative to
    // a glyph of 0.625 of the frame (a handwritten digit's 20 of 32 pixels), offset.
    const int big = side * 4;
    const cv::Mat source(coverageSide, coverageSide, CV_8UC1, const_cast<uint8_t*>(coverage.data()));
    cv::Mat mask;
    cv::resize(source, mask, cv::Size(big, big), 0, 0, cv::INTER_CUBIC);
    const double scale = s.size / 0.625;
    cv::Mat place = (cv::Mat_<double>(2, 3) << scale, 0, (1 - scale) * big / 2 + s.offsetX * big, 0, scale,
                     (1 - scale) * big / 2 + s.offsetY * big);
    cv::warpAffine(mask, mask, place, mask.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0));
    return compose(mask, s, side);
}

} // namespace ra
