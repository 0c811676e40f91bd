#pragma once
// CLIP ViT in libtorch with OpenAI's module and parameter names, so a state dict in OpenAI layout
// loads by name. INTERNAL to core (includes torch): never include from a public header.
//
// Layout note: OpenAI runs the transformer sequence-first (L, N, D); this implementation runs it
// batch-first (N, L, D). The maths is identical and it saves two permutes per tower.
//
// Thread-safety: a module is used by one thread at a time (the worker that owns it).
#include "clip/clipconfig.h"
#include "platform/precision.h"

#include <torch/nn/functional/linear.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

namespace ra {

// A frozen Linear's weights prepared once for the kernel this machine chose for its shape class
// (platform/kernelselect.h): packed into oneDNN's (mkldnn) layout, or as plain tensors for ATen's
// linear, in fp32, bf16 or bf16-rounded fp32. Any in-place change of the weight (merging,
// loading) shows in its version counter and prepares it again.
struct PackedLinear {
    // kBFloat16 runs the product in bfloat16 (activations converted on the way in and out) while
    // everything around it stays float32, as CPU autocast does.
    torch::ScalarType computeType = torch::kFloat32;
    torch::Tensor weight, bias;               // oneDNN-packed, in computeType
    torch::Tensor panels, panelBias;          // packed-gemm's layout of the weight (fp32 or bf16), its bias
    torch::Tensor panelsT;                    // bf16 panels of W^T: the input gradient under autocast
    torch::Tensor dense;                      // the dense weight (shared, not a copy) for the input gradient
    torch::Tensor plainWeight, plainBias;     // bf16 copies for ATen's bf16 products (inference, autocast)
    torch::Tensor roundedWeight, roundedBias; // bf16-rounded fp32 copies for emulated bf16
    bool emulated = false;                    // the copies above hold bf16-rounded values
    int64_t version = -1;
    const void* source = nullptr;
};
// y = x W^T + b through PACKED when the weight is frozen, else through F::linear.
torch::Tensor fastLinear(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b, PackedLinear& packed);

// Thread-local, like autocast: inside the guard the frozen products of this thread round their
// operands to bf16 and multiply in fp32 -- bf16's numbers on a CPU whose bf16 kernels would abort
// or crawl (platform/precision.h, "bf16-emulated").
class EmulatedBf16Guard {
public:
    explicit EmulatedBf16Guard(bool enable);
    ~EmulatedBf16Guard();
    EmulatedBf16Guard(const EmulatedBf16Guard&) = delete;
    EmulatedBf16Guard& operator=(const EmulatedBf16Guard&) = delete;

private:
    bool m_previous;
};

// bf16 autocast on one device type while it lives (nothing when not ENABLE).
class AutocastScope {
public:
    AutocastScope(bool enable, c10::DeviceType type);
    ~AutocastScope();
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

private:
    bool m_enabled;
    c10::DeviceType m_type;
};

// A training forward pass in PRECISION on the compute device (platform/computedevice.h): bf16
// autocast (native bf16 on the CPU, or a GPU), emulated bf16 (the guard above), or plain fp32.
// With InferencePrecisionScope, the one place that turns a resolved precision into libtorch state.
class TrainingPrecisionScope {
public:
    explicit TrainingPrecisionScope(ComputePrecision precision);

private:
    AutocastScope m_autocast;
    EmulatedBf16Guard m_emulate;
};

// Inference (evaluation, embeddings) in PRECISION: on a GPU, bf16 is CUDA autocast; on the CPU the
// frozen products' compute type (setLinearComputeType) gives bf16, and this scope only switches
// emulation on.
class InferencePrecisionScope {
public:
    explicit InferencePrecisionScope(ComputePrecision precision);

private:
    AutocastScope m_autocast;
    EmulatedBf16Guard m_emulate;
};

// nn.MultiheadAttention's parameters (in_proj_weight, in_proj_bias, out_proj) with a lean forward.
class AttentionImpl : public torch::nn::Module {
public:
    AttentionImpl(int width, int heads);
    // x: [N, L, D]; mask: additive [L, L] or undefined.
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask);
    // The output at one position per sample (ROWS [N], int64) only, [N, 1, D]: keys and values
    // from every position, the query, the attention and the output projection for ROWS alone.
    torch::Tensor forwardAtRows(const torch::Tensor& x, const torch::Tensor& mask, const torch::Tensor& rows);

    int heads;
    torch::Tensor in_proj_weight, in_proj_bias;
    torch::nn::Linear out_proj{nullptr};
    PackedLinear packedIn, packedOut;
    // Optional additive term on the packed q/k/v projection ([N, L, 3D]); LoRA plugs in here.
    std::function<torch::Tensor(const torch::Tensor&)> inProjExtra;
};
TORCH_MODULE(Attention);

class MlpImpl : public torch::nn::Module {
public:
    MlpImpl(int width, Activation activation);
    torch::Tensor forward(const torch::Tensor& x);

    Activation activation;
    torch::nn::Linear c_fc{nullptr}, c_proj{nullptr};
    PackedLinear packedFc, packedProj;
};
TORCH_MODULE(Mlp);

// Hook run on a branch output before the residual addition; R-Adapter plugs in here.
using BranchHook = std::function<torch::Tensor(const torch::Tensor&)>;

// While a block runs for its pooled positions alone (ResidualBlockImpl::forwardAtRows, on this
// thread): those positions and the sequence's full length. A hook that draws randomness per
// position (R-Adapter's token-granularity dropping) draws the full sequence's, as the block's
// every-position forward does, and takes each sample's own position. Null elsewhere.
struct PooledPositions {
    torch::Tensor rows; // [N] int64
    int64_t length = 0;
};
const PooledPositions* pooledPositions();

class ResidualBlockImpl : public torch::nn::Module {
public:
    ResidualBlockImpl(int width, int heads, Activation activation);
    torch::Tensor forward(torch::Tensor x, const torch::Tensor& mask);
    // The block's output at one position per sample (ROWS [N], int64), [N, 1, D].
    torch::Tensor forwardAtRows(const torch::Tensor& x, const torch::Tensor& mask, const torch::Tensor& rows);

    Attention attn{nullptr};
    torch::nn::LayerNorm ln_1{nullptr}, ln_2{nullptr};
    Mlp mlp{nullptr};
    BranchHook afterAttention; // empty: identity
    BranchHook afterMlp;
};
TORCH_MODULE(ResidualBlock);

class TransformerImpl : public torch::nn::Module {
public:
    TransformerImpl(int width, int layers, int heads, Activation activation);
    torch::Tensor forward(torch::Tensor x, const torch::Tensor& mask);
    // The last block's output at one position per sample (ROWS [N], int64), [N, D]: what a tower
    // pools. The same numbers as forward(x, mask) at ROWS, but the last block's query, output
    // projection and MLP run for one position a sample instead of all L (ViT-B/32: 6.6 % of its work).
    // At least one block, as ClipConfig::validate requires of every model.
    torch::Tensor forwardPooled(torch::Tensor x, const torch::Tensor& mask, const torch::Tensor& rows);

    std::vector<ResidualBlock> blocks;
    torch::nn::ModuleList resblocks;
};
TORCH_MODULE(Transformer);

class VisionTransformerImpl : public torch::nn::Module {
public:
    explicit VisionTransformerImpl(const ClipConfig& config);
    torch::Tensor forward(const torch::Tensor& images); // [N,3,R,R] normalised -> [N, embed]

    torch::nn::Conv2d conv1{nullptr};
    torch::Tensor class_embedding, positional_embedding, proj;
    torch::nn::LayerNorm ln_pre{nullptr}, ln_post{nullptr};
    Transformer transformer{nullptr};
    // conv1 as a product of patches and its flattened kernel (it has no bias; a zero one, not a
    // parameter, lets it take the frozen-linear kernels).
    PackedLinear packedPatch;
    torch::Tensor patchBias;

private:
    torch::Tensor patchEmbedding(const torch::Tensor& images); // [N, g*g, W]
};
TORCH_MODULE(VisionTransformer);

class ClipModelImpl : public torch::nn::Module {
public:
    explicit ClipModelImpl(const ClipConfig& config);

    torch::Tensor encodeImage(const torch::Tensor& images);
    torch::Tensor encodeText(const torch::Tensor& tokens); // int64 [N, ctx]

    ClipConfig config;
    VisionTransformer visual{nullptr};
    torch::nn::Embedding token_embedding{nullptr};
    torch::Tensor positional_embedding, text_projection, logit_scale;
    Transformer transformer{nullptr};
    torch::nn::LayerNorm ln_final{nullptr};
    torch::Tensor causalMask; // not a parameter, as in OpenAI's code

    // Every packed linear of both towers (for switching their compute type).
    std::vector<PackedLinear*> packedLinears();
    void setLinearComputeType(torch::ScalarType type);
};
TORCH_MODULE(ClipModel);

// Copies TENSORS (OpenAI names) into MODEL, checking every name and shape. Unknown names are
// ignored; a missing or mis-shaped tensor throws ra::Error naming SOURCE.
void loadStateDict(ClipModelImpl& model, const std::map<std::string, torch::Tensor>& tensors,
                   const std::string& source);

} // namespace ra
