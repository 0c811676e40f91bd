#pragma once
// Contrastive pre-training of a small CLIP on the glyph corpus (`radapter pretrain`): both
// towers trained from random initialisation with a multi-positive InfoNCE (identical captions
// are positives) and CLIP's learnable temperature, AdamW with warm-up and cosine decay, bf16
// autocast. Seeded: the same options give the same weights on the same machine and thread count.
// Torch-free API.
#include "clip/clipconfig.h"
#include "clip/clipencoder.h"

#include <functional>
#include <map>
#include <vector>
#include <string>

namespace ra {

struct PretrainOptions {
    ClipConfig config = defaultConfig();
    int steps = 2500;
    int batch = 256;
    double learningRate = 1e-3;
    double weightDecay = 0.1;
    uint64_t seed = 0;
    Precision precision = Precision::Auto;
    int threads = 0;
    std::string fontRoot = "/usr/share/fonts";
    std::string out;      // .safetensors (weights stored as fp16)
    std::string init;     // optional: continue from this model's weights (its config wins)
    std::string evalData; // optional prepared demo folder for zero-shot checks on id/val and ood-val
    int evalEvery = 250;

    // ClipConfig::preset("glyph-tiny"): image 32x32, patch 4, width 128, 6 layers; text width 128,
    // 4 layers, context 16; embed 96.
    static ClipConfig defaultConfig();
};

struct PretrainProgress {
    int step = 0;
    int totalSteps = 0;
    double loss = 0;
    double logitScale = 0;
    double elapsedSeconds = 0;
    std::map<std::string, double> zeroShot; // when evaluated: split -> top-1
};

// Runs the whole pre-training and writes OPTIONS.out. PROGRESS returns false to stop early (the
// weights so far are still written). Throws ra::Error.
void pretrainGlyphClip(const PretrainOptions& options, const std::function<bool(const PretrainProgress&)>& progress);

// Zero-shot top-1 of ENCODER on each prepared split under DATADIR (digit templates, word class
// names) — the numbers of the model card.
std::map<std::string, double> digitZeroShot(ClipEncoder& encoder, const std::string& dataDir,
                                            const std::vector<std::string>& splits);

} // namespace ra
