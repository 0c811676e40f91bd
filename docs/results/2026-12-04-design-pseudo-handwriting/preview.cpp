// ood-suite.md, entry 18 (exploration, not part of the product): draws 96 pseudo-handwritten corpus
// samples (pseudo-handwriting.patch applied, RA_SCRATCH_ELASTIC=1) into pseudo-handwriting.png,
// to compare with the handwritten ID digits by eye.
#include "demo/fontcatalog.h"
#include "demo/glyphcorpus.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <iostream>

using namespace ra;

int main()
{
    const FontCatalog catalog = FontCatalog::scan();
    GlyphCorpus corpus(catalog.training, 1);
    cv::Mat grid(8 * 32, 12 * 32, CV_8UC3, cv::Scalar(128, 128, 128));
    int k = 0;
    for (uint64_t i = 0; k < 96 && i < 5000; ++i) {
        CorpusSample s = corpus.sample(i);
        if (s.caption.find("hand") == std::string::npos) continue;
        cv::Mat rgb(32, 32, CV_8UC3, s.image.pixels.data()), bgr;
        cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
        bgr.copyTo(grid(cv::Rect((k % 12) * 32, (k / 12) * 32, 32, 32)));
        if (k < 12) std::cout << s.caption << "\n";
        ++k;
    }
    cv::resize(grid, grid, {}, 2, 2, cv::INTER_NEAREST);
    cv::imwrite("pseudo-handwriting.png", grid);
}
