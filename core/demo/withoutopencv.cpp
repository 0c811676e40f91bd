// A build without OpenCV (-DRA_WITH_OPENCV=OFF) cannot draw glyphs or prepare the demo world:
// these stand in for demo/glyphrenderer.cpp and demo/digitsshift.cpp and say so in one sentence.
// A folder prepared by a build with OpenCV (projects/digits-shift/data) and copied is used as is.
#include "demo/digitsshift.h"
#include "demo/glyphrenderer.h"
#include "util/error.h"

namespace ra {
namespace {

[[noreturn]] void needsOpenCv(const std::string& what, const std::string& advice)
{
    throw Error(what + " needs OpenCV, and this radapter was built without it (-DRA_WITH_OPENCV=OFF); " + advice + ".");
}

} // namespace

struct GlyphRenderer::Impl {};

GlyphRenderer::GlyphRenderer() = default;
GlyphRenderer::~GlyphRenderer() = default;

DecodedImage GlyphRenderer::render(const std::string&, const GlyphStyle&, int)
{
    needsOpenCv("Drawing the demo's glyphs (pre-training, the demo world)", "use a build with OpenCV");
}

DecodedImage GlyphRenderer::restyle(const std::vector<uint8_t>&, int, const GlyphStyle&, int)
{
    needsOpenCv("Drawing the demo's glyphs (pre-training, the demo world)", "use a build with OpenCV");
}

std::vector<PreparedSplit> prepareDigitsShift(const std::string& outDir, const DemoDataOptions& options)
{
    if (auto prepared = preparedDigitsShift(outDir, options)) return *prepared;
    needsOpenCv("Preparing the demo world",
                "prepare it with a build that has OpenCV (radapter prepare-demo) and copy the folder to " + outDir);
}

} // namespace ra
