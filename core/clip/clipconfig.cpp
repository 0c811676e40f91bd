#include "clip/clipconfig.h"

#include "util/error.h"

namespace ra {
namespace {

int64_t blockParameters(int64_t d)
{
    // in_proj (3d x d + 3d), out_proj (d x d + d), two LayerNorms (4d), c_fc (4d x d + 4d), c_proj (d x 4d + d)
    return 3 * d * d + 3 * d + d * d + d + 4 * d + 4 * d * d + 4 * d + 4 * d * d + d;
}

} // namespace

int64_t ClipConfig::visionParameterCount() const
{
    const int64_t w = visionWidth, g = gridSize();
    return w * 3 * patchSize * patchSize + w + (g * g + 1) * w + 2 * w + visionLayers * blockParameters(w) + 2 * w +
        w * embedDim;
}

int64_t ClipConfig::textParameterCount() const
{
    const int64_t t = textWidth;
    return int64_t(vocabSize) * t + int64_t(contextLength) * t + textLayers * blockParameters(t) + 2 * t +
        t * embedDim + 1;
}

std::string ClipConfig::architectureName() const
{
    const std::string res = imageResolution == 224 ? "" : "@" + std::to_string(imageResolution) + "px";
    if (visionWidth == 768 && visionLayers == 12 && textWidth == 512) return "ViT-B/" + std::to_string(patchSize) + res;
    if (visionWidth == 1024 && visionLayers == 24 && textWidth == 768)
        return "ViT-L/" + std::to_string(patchSize) + res;
    return "ViT-" + std::to_string(visionWidth) + "w" + std::to_string(visionLayers) + "L/" +
        std::to_string(patchSize) + " (" + std::to_string(imageResolution) + "px)";
}

void ClipConfig::validate(const std::string& source) const
{
    auto bad = [&](const std::string& what) { throw Error(source + ": " + what); };
    if (embedDim <= 0 || visionWidth <= 0 || textWidth <= 0 || visionLayers <= 0 || textLayers <= 0)
        bad("the weights do not describe a CLIP model (a width or layer count is zero).");
    if (patchSize <= 0 || imageResolution <= 0 || imageResolution % patchSize != 0)
        bad("the image resolution " + std::to_string(imageResolution) + " is not a multiple of the patch size " +
            std::to_string(patchSize) + ".");
    if (visionHeads <= 0 || visionWidth % visionHeads != 0)
        bad("the vision width " + std::to_string(visionWidth) + " cannot be split into " + std::to_string(visionHeads) +
            " attention heads.");
    if (textHeads <= 0 || textWidth % textHeads != 0)
        bad("the text width " + std::to_string(textWidth) + " cannot be split into " + std::to_string(textHeads) +
            " attention heads.");
    if (contextLength < 2) bad("the context length " + std::to_string(contextLength) + " is too short.");
    if (vocabSize < 49408) bad("the vocabulary has " + std::to_string(vocabSize) + " entries; CLIP's BPE needs 49408.");
}

ClipConfig ClipConfig::preset(const std::string& name)
{
    ClipConfig c;
    if (name == "ViT-B/32") return c;
    if (name == "ViT-B/16") {
        c.patchSize = 16;
        return c;
    }
    if (name == "ViT-L/14" || name == "ViT-L/14@336px") {
        c.embedDim = 768;
        c.patchSize = 14;
        c.visionWidth = 1024;
        c.visionLayers = 24;
        c.visionHeads = 16;
        c.textWidth = 768;
        c.textHeads = 12;
        if (name == "ViT-L/14@336px") c.imageResolution = 336;
        return c;
    }
    if (name == "glyph-tiny") { // the demo's model (resources/models/MODEL_CARD.md), as `radapter pretrain` makes it
        c.embedDim = 96;
        c.imageResolution = 32;
        c.patchSize = 4;
        c.visionWidth = 128;
        c.visionLayers = 6;
        c.visionHeads = 2;
        c.contextLength = 16;
        c.textWidth = 128;
        c.textLayers = 4;
        c.textHeads = 2;
        return c;
    }
    throw Error("unknown architecture '" + name +
                "' (known: ViT-B/32, ViT-B/16, ViT-L/14, ViT-L/14@336px, glyph-tiny).");
}

} // namespace ra
