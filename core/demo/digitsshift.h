#pragma once
// The demo's distribution-shift benchmark, prepared deterministically from real data in Debian
// packages (same inputs -> same files, byte for byte). Torch-free.
//
// ID: OpenCV's digits.png (opencv-doc; 5,000 handwritten digits, 20x20, white on black), inverted
//     to dark ink on light paper and padded 6 px to 32x32; shuffled with a fixed seed into train
//     3,500 / val 500 / test 1,000.
// OOD: the suite of docs/ood-suite.md, one set per ImageNet shift analogue, each shuffled with its
// own seed and halved into ood-val/SET (only for designing the world and its pre-training) and
// ood-test/SET (only for the reported table):
//   uci-8x8          ~ ImageNet-V2: the UCI / scikit-learn digits (python3-sklearn digits.csv.gz;
//                    1,797: other writers, another scanner, 8x8) upsampled to the same framing;
//   printed-unseen   ~ ImageNet-R: digits printed in the six held-out typeface families;
//   outline-sketch   ~ ImageNet-Sketch: held-out typefaces drawn as outlines or in thin strokes;
//   pose-framing     ~ ObjectNet: turned 25-55 degrees, tiny or cropped, off-centre;
//   clutter-colour   ~ ImageNet-A: colour pairs (half light on dark) on stripes, gradients or
//                    blotches, with clutter strokes and noise;
//                    each of these two: 500 handwritten ID test digits restyled and 500 digits in
//                    the held-out typefaces.
// 2,000 images for each purely rendered set (200 per digit). Extra (not an OOD set): printed-seen, digits in
// pre-training typefaces, for the model card's zero-shot numbers.
// Retrieval (the retrieval example project): rendered coloured digits with two captions each
// ("a red seven on a white background.", "the number seven written in red."): train 2,000 /
// val 300 / test 500 images in training typefaces, unseen-fonts 500 in the held-out ones.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ra {

struct PreparedSplit {
    std::string name; // "id/train", "ood/uci-8x8", ...
    std::string path;
    int images = 0;
};

struct DemoDataOptions {
    std::string digitsPng = "/usr/share/doc/opencv-doc/examples/data/digits.png";
    std::string uciCsv = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz";
    std::string fontRoot = "/usr/share/fonts";
    uint64_t seed = 20241;
};

// The OOD suite's set names, in the order of docs/ood-suite.md (V2, R, Sketch, ObjectNet, A).
const std::vector<std::string>& oodSuiteSets();

// The splits under OUTDIR when its manifest says they were prepared with these options (no
// drawing, so also in a build without OpenCV), else nothing.
std::optional<std::vector<PreparedSplit>> preparedDigitsShift(const std::string& outDir,
                                                              const DemoDataOptions& options = {});
// What a manifest records of the options (the format version and the seed).
std::string digitsShiftOptionsKey(const DemoDataOptions& options);

// Writes every split under OUTDIR (one sub-folder per digit 0..9, PNG files) plus
// classnames.txt and manifest.json (counts and FNV-1a-64 hashes of every file). Skips the work
// when OUTDIR's manifest already matches these options. Throws ra::Error naming a missing input.
std::vector<PreparedSplit> prepareDigitsShift(const std::string& outDir, const DemoDataOptions& options = {});

} // namespace ra
