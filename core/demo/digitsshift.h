#pragma once
// The demo's distribution-shift benchmark, prepared deterministically from real data in Debian
// packages (same inputs -> same files, byte for byte). Torch-free.
//
// ID: OpenCV's digits.png (opencv-doc; 5,000 handwritten digits, 20x20, white on black), inverted
//     to dark ink on light paper and padded 6 px to 32x32; shuffled with a fixed seed into train
//     3,500 / val 500 / test 1,000.
// OOD, each one shift, fixed before any model was fitted:
//   uci-8x8           the UCI / scikit-learn digits (python3-sklearn digits.csv.gz; 1,797, other
//                     writers, another scanner, 8x8 resolution) upsampled to the same framing;
//   printed-unseen    digits printed in the six held-out typeface families (fontcatalog.h);
//   colour-texture    the ID test digits recoloured onto colour stripes, gradients and blotches;
//   inverted          the ID test digits with inverted contrast (light ink on dark paper).
// Extra (not an OOD set of the demo): printed-seen, digits in pre-training typefaces, for the
// model card's zero-shot numbers.
// Retrieval (the retrieval example project): rendered coloured digits with two captions each
// ("a red seven on a white background.", "the number seven written in red."): train 2,000 /
// val 300 / test 500 images in training typefaces, unseen-fonts 500 in the held-out ones.
#include <cstdint>
#include <string>
#include <vector>

namespace ra {

struct PreparedSplit {
    std::string name;  // "id/train", "ood/uci-8x8", ...
    std::string path;
    int images = 0;
};

struct DemoDataOptions {
    std::string digitsPng = "/usr/share/doc/opencv-doc/examples/data/digits.png";
    std::string uciCsv = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz";
    std::string fontRoot = "/usr/share/fonts";
    uint64_t seed = 20241;
};

// Writes every split under OUTDIR (one sub-folder per digit 0..9, PNG files) plus
// classnames.txt and manifest.json (counts and FNV-1a-64 hashes of every file). Skips the work
// when OUTDIR's manifest already matches these options. Throws ra::Error naming a missing input.
std::vector<PreparedSplit> prepareDigitsShift(const std::string& outDir, const DemoDataOptions& options = {});

} // namespace ra
