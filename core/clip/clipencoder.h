#pragma once
// The public, torch-free face of a loaded CLIP model: load any supported checkpoint, describe it,
// and encode images and texts into projected, un-normalised embeddings (encode_image /
// encode_text). Functions throw ra::Error with a user-facing message.
//
// Thread-safety: not thread-safe; one thread (the owner) uses an encoder at a time.
#include "clip/clipconfig.h"
#include "platform/precision.h"
#include "util/matrix.h"

#include <memory>
#include <string>
#include <vector>

namespace ra {

struct ModelDescription {
    ClipConfig config;
    std::string layout; // human-readable checkpoint layout
};

class ClipEncoder {
public:
    // What load(PATH) would find, without building the model and, for safetensors files and
    // Hugging Face folders, without reading a weight (their headers describe the shapes): for
    // summaries. Throws ra::Error as load does.
    static ModelDescription describe(const std::string& path);
    // Loads a .pt TorchScript archive, an OpenAI/open_clip .safetensors, or a Hugging Face folder.
    static std::unique_ptr<ClipEncoder> load(const std::string& path);
    // A randomly initialised model of the given shape (for benchmarks and tests).
    static std::unique_ptr<ClipEncoder> random(const ClipConfig& config, uint64_t seed);
    ~ClipEncoder();

    const ClipConfig& config() const;
    std::string source() const;     // the path it was loaded from, or "random"
    std::string layoutName() const; // human-readable checkpoint layout
    float logitScale() const;       // exp(logit_scale)

    // Bf16 runs the large matrix products in bfloat16 (weights packed once) and keeps LayerNorm,
    // softmax and activations in float32, like CPU autocast; Auto picks bf16 only where the CPU
    // has native bf16 (platform/precision.h). Returns what runs on this CPU.
    ComputePrecision setPrecision(Precision precision);
    Precision precision() const;

    // Images already preprocessed to [3, R, R] float32 (clipPreprocess).
    FloatMatrix encodeImages(const std::vector<std::vector<float>>& images);
    // Decodes and preprocesses files, then encodes; errors name the failing file.
    FloatMatrix encodeImageFiles(const std::vector<std::string>& paths);
    FloatMatrix encodeTexts(const std::vector<std::string>& texts);
    FloatMatrix encodeTokens(const std::vector<std::vector<int64_t>>& tokens);

    struct Impl;
    Impl& impl() { return *d; } // core-internal access (clipencoder_p.h)

private:
    ClipEncoder();
    std::unique_ptr<Impl> d;
};

} // namespace ra
