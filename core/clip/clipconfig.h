#pragma once
// The shape of a CLIP ViT model, inferred from checkpoint weights (openai/CLIP build_model rules)
// or from a Hugging Face config.json. A plain value type; torch-free.
#include <cstdint>
#include <string>

namespace ra {

enum class Activation { QuickGelu, Gelu };

struct ClipConfig {
    int embedDim = 512;
    int imageResolution = 224;
    int patchSize = 32;
    int visionWidth = 768;
    int visionLayers = 12;
    int visionHeads = 12;
    int contextLength = 77;
    int vocabSize = 49408;
    int textWidth = 512;
    int textLayers = 12;
    int textHeads = 8;
    Activation activation = Activation::QuickGelu;

    int gridSize() const { return imageResolution / patchSize; }
    int64_t visionParameterCount() const;
    int64_t textParameterCount() const; // includes the token embedding and logit_scale
    int64_t parameterCount() const { return visionParameterCount() + textParameterCount(); }
    // "ViT-B/32"-style name when the shape matches a released model, else "ViT-<width>/<patch>".
    std::string architectureName() const;
    // Throws ra::Error (prefixed with SOURCE) when the numbers cannot form a model.
    void validate(const std::string& source) const;

    // Presets of the released OpenAI models ("ViT-B/32", "ViT-B/16", "ViT-L/14", "ViT-L/14@336px")
    // and of the demo's model ("glyph-tiny"). Throws ra::Error for unknown names.
    static ClipConfig preset(const std::string& name);
};

} // namespace ra
