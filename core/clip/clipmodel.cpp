#include "clip/clipmodel.h"

#include "clip/attention.h"
#include "clip/autocastcompat.h"
#include "clip/packedgemm.h"
#include "clip/quickgelu.h"

#include "platform/computedevice.h"
#include "platform/kernelselect.h"
#include "util/error.h"

#include <cmath>
#include <cstdlib>

namespace F = torch::nn::functional;

namespace ra {

namespace {

torch::Tensor packedProduct(const torch::Tensor& x2d, const torch::Tensor& weight, const torch::Tensor& bias,
                            torch::ScalarType type)
{
    auto in = x2d.to(type).contiguous().to_mkldnn();
    return torch::mkldnn_linear(in, weight, bias).to_dense().to(torch::kFloat32);
}

// X2D (fp32) times the weight whose panels PANELS hold (OUT rows), on our GEMM in the panels'
// element type.
torch::Tensor gemmProduct(const torch::Tensor& x2d, const torch::Tensor& panels, int64_t out, const torch::Tensor& bias)
{
    const auto x = x2d.contiguous();
    auto y = torch::empty({x.size(0), out}, x.options());
    const float* b = bias.defined() ? bias.data_ptr<float>() : nullptr;
    if (panels.scalar_type() == torch::kBFloat16)
        packedGemmBf16(x.data_ptr<float>(), x.size(0), x.size(1), out,
                       reinterpret_cast<const uint16_t*>(panels.data_ptr()), b, y.data_ptr<float>());
    else packedGemm(x.data_ptr<float>(), x.size(0), x.size(1), out, panels.data_ptr<float>(), b, y.data_ptr<float>());
    return y;
}

torch::Tensor gemmProduct(const torch::Tensor& x2d, const PackedLinear& packed)
{
    return gemmProduct(x2d, packed.panels, packed.dense.size(0), packed.panelBias);
}

// W ([OUT, IN], fp32) laid out as the bf16 GEMM reads it.
torch::Tensor bf16Panels(const torch::Tensor& w)
{
    const auto wc = w.detach().contiguous();
    auto panels = torch::empty({packedGemmBf16PanelValues(wc.size(0), wc.size(1))}, torch::kBFloat16);
    packGemmWeightBf16(wc.data_ptr<float>(), wc.size(0), wc.size(1), reinterpret_cast<uint16_t*>(panels.data_ptr()));
    return panels;
}

// The forward product of a frozen weight on one of the packed kernels.
torch::Tensor frozenProduct(const torch::Tensor& x2d, const PackedLinear& packed, torch::ScalarType type,
                            LinearKernel kernel)
{
    if (kernel == LinearKernel::PackedGemm) return gemmProduct(x2d, packed);
    return packedProduct(x2d, packed.weight, packed.bias, type);
}

// y = x W^T + b with W frozen: the forward product runs on a packed kernel (oneDNN or our GEMM),
// the input gradient on BLAS.
struct FrozenLinearFunction : public torch::autograd::Function<FrozenLinearFunction> {
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x2d, PackedLinear* packed,
                                 int64_t type, int64_t kernel)
    {
        ctx->saved_data["weight"] = packed->dense;
        return frozenProduct(x2d, *packed, static_cast<torch::ScalarType>(type), static_cast<LinearKernel>(kernel));
    }
    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list grads)
    {
        // The input gradient g W through BLAS: packing W^T too would cost another copy of every
        // weight, and training memory must stay below eager PyTorch's.
        const auto weight = ctx->saved_data["weight"].toTensor();
        return {torch::matmul(grads[0], weight), torch::Tensor(), torch::Tensor(), torch::Tensor()};
    }
};

// Under bf16 autocast with a frozen weight, each direction on the kernel the calibration chose for
// its shape: our bf16 GEMM (forward through W's panels, the input gradient g W through W^T's, fp32
// out), or ATen's bf16 linear and matmul on a bf16 copy of W made once, instead of autocast
// casting W again on every call.
struct FrozenAutocastLinearFunction : public torch::autograd::Function<FrozenAutocastLinearFunction> {
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x2d, PackedLinear* packed,
                                 bool gemmForward, bool gemmBackward)
    {
        if (gemmBackward) ctx->saved_data["panels_t"] = packed->panelsT;
        else ctx->saved_data["weight"] = packed->plainWeight;
        ctx->saved_data["in"] = packed->dense.size(1);
        ctx->saved_data["input_type"] = static_cast<int64_t>(x2d.scalar_type());
        if (gemmForward) return gemmProduct(x2d.to(torch::kFloat32), *packed);
        return F::linear(x2d.to(torch::kBFloat16), packed->plainWeight, packed->plainBias);
    }
    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list grads)
    {
        const auto type = static_cast<torch::ScalarType>(ctx->saved_data["input_type"].toInt());
        torch::Tensor dx;
        if (ctx->saved_data.count("panels_t"))
            dx = gemmProduct(grads[0].to(torch::kFloat32), ctx->saved_data["panels_t"].toTensor(),
                             ctx->saved_data["in"].toInt(), torch::Tensor());
        else dx = torch::matmul(grads[0].to(torch::kBFloat16), ctx->saved_data["weight"].toTensor());
        return {dx.to(type), torch::Tensor(), torch::Tensor(), torch::Tensor()};
    }
};

// QuickGELU that saves only its input for backward (the sigmoid is recomputed there), instead of
// the three intermediate tensors autograd would keep per block; both directions are one pass.
struct QuickGeluFunction : public torch::autograd::Function<QuickGeluFunction> {
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x)
    {
        ctx->save_for_backward({x});
        return quickGeluForward(x);
    }
    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list grads)
    {
        return {quickGeluBackward(grads[0], ctx->get_saved_variables()[0])};
    }
};

} // namespace

namespace {
thread_local bool t_emulateBf16 = false;

torch::Tensor roundBf16(const torch::Tensor& t) { return t.to(torch::kBFloat16).to(torch::kFloat32); }

bool stale(const PackedLinear& p, const torch::Tensor& w)
{
    return p.version != static_cast<int64_t>(w._version()) || p.source != w.data_ptr();
}

// The bf16 copy of W and B that ATen's bf16 products use (inference and autocast training alike),
// made once per weight version.
void makeBf16Copy(PackedLinear& packed, const torch::Tensor& w, const torch::Tensor& b)
{
    if (packed.plainWeight.defined()) return;
    packed.plainWeight = w.detach().to(torch::kBFloat16).contiguous();
    packed.plainBias = b.detach().to(torch::kBFloat16);
}

// Starts PACKED afresh for W's current values (the compute type stays).
void restamp(PackedLinear& packed, const torch::Tensor& w)
{
    packed = PackedLinear{packed.computeType};
    packed.dense = w.detach();
    packed.version = static_cast<int64_t>(w._version());
    packed.source = w.data_ptr();
}
} // namespace

EmulatedBf16Guard::EmulatedBf16Guard(bool enable) : m_previous(t_emulateBf16) { t_emulateBf16 = enable || m_previous; }
EmulatedBf16Guard::~EmulatedBf16Guard() { t_emulateBf16 = m_previous; }

AutocastScope::AutocastScope(bool enable, c10::DeviceType type) : m_enabled(enable), m_type(type)
{
    if (!m_enabled) return;
    autocast::setDtype(m_type, at::kBFloat16);
    autocast::setEnabled(m_type, true);
}

AutocastScope::~AutocastScope()
{
    if (!m_enabled) return;
    autocast::setEnabled(m_type, false);
    at::autocast::clear_cache();
}

namespace {
c10::DeviceType computeDeviceType() { return computesOnGpu() ? c10::DeviceType::CUDA : c10::DeviceType::CPU; }
} // namespace

TrainingPrecisionScope::TrainingPrecisionScope(ComputePrecision precision)
    : m_autocast(precision == ComputePrecision::Bf16, computeDeviceType()),
      m_emulate(precision == ComputePrecision::Bf16Emulated)
{}

InferencePrecisionScope::InferencePrecisionScope(ComputePrecision precision)
    : m_autocast(precision == ComputePrecision::Bf16 && computesOnGpu(), c10::DeviceType::CUDA),
      m_emulate(precision == ComputePrecision::Bf16Emulated)
{}

namespace {
// x W^T + b as addmm on the flattened rows: the bias is written into the output and the product
// added to it (BLAS beta 1). F::linear on a 3-D input multiplies into a zeroed output (beta 0, one
// more pass over it) and adds the bias after (another): ~10 % of a small model's time.
torch::Tensor plainLinear(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b)
{
    if (!b.defined() || x.dim() < 2) return F::linear(x, w, b);
    auto sizes = x.sizes().vec();
    sizes.back() = w.size(0);
    return torch::addmm(b, x.reshape({-1, x.size(-1)}), w.t()).view(sizes);
}
} // namespace

torch::Tensor fastLinear(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b, PackedLinear& packed)
{
    // Frozen weights qualify in training too; trainable weights take the ordinary path.
    const bool inference = c10::InferenceMode::is_enabled() || !torch::GradMode::is_enabled();
    const bool autocastBf16 = !inference && !w.requires_grad() && autocast::enabled(c10::DeviceType::CPU) &&
        autocast::dtype(c10::DeviceType::CPU) == torch::kBFloat16 && x.device().is_cpu() &&
        w.scalar_type() == torch::kFloat32;
    const int64_t m = x.numel() / std::max<int64_t>(1, x.size(-1)), in = w.size(1), out = w.size(0);
    const bool gemm = autocastBf16 && packedGemmBf16KernelName() != nullptr;
    const bool gemmForward = gemm && linearKernelFor(ComputePrecision::Bf16, m, in, out) == LinearKernel::PackedGemm;
    // An input without a gradient (the patches) has no backward: only a forward on our GEMM is
    // worth a function of its own.
    if (autocastBf16 && (x.requires_grad() || gemmForward)) {
        const bool gemmBackward = gemm && x.requires_grad() &&
            linearKernelFor(ComputePrecision::Bf16, m, out, in) == LinearKernel::PackedGemm;
        if (stale(packed, w) || packed.emulated ||
            (packed.panels.defined() && packed.panels.scalar_type() != torch::kBFloat16))
            restamp(packed, w);
        {
            c10::InferenceMode ordinaryTensors(false);
            torch::NoGradGuard noGrad;
            if (!gemmForward || (x.requires_grad() && !gemmBackward)) makeBf16Copy(packed, w, b);
            if (gemmForward && !packed.panels.defined()) {
                packed.panels = bf16Panels(w);
                if (b.defined()) packed.panelBias = b.detach().contiguous();
            }
            if (gemmBackward && !packed.panelsT.defined()) packed.panelsT = bf16Panels(w.t());
        }
        auto sizes = x.sizes().vec();
        sizes.back() = out;
        const auto x2d = x.reshape({-1, x.size(-1)});
        if (!x.requires_grad()) return gemmProduct(x2d.to(torch::kFloat32), packed).view(sizes);
        return FrozenAutocastLinearFunction::apply(x2d, &packed, gemmForward, gemmBackward).view(sizes);
    }
    const bool eligible = (inference || !w.requires_grad()) && x.scalar_type() == torch::kFloat32 &&
        w.scalar_type() == torch::kFloat32 && !w.is_inference() && x.device().is_cpu() &&
        !autocast::enabled(c10::DeviceType::CPU);
    if (!eligible) return plainLinear(x, w, b);
    const bool emulate = t_emulateBf16;
    const auto type = emulate ? torch::kFloat32 : packed.computeType;
    const ComputePrecision mode = emulate ? ComputePrecision::Bf16Emulated
        : type == torch::kBFloat16        ? ComputePrecision::Bf16
                                          : ComputePrecision::Fp32;
    const LinearKernel kernel = linearKernelFor(mode, m, w.size(1), w.size(0));
    // The operands the product sees, prepared once per weight version: W itself (fp32), its
    // bf16-rounded copy (emulated), its bf16 copy (ATen bf16), its oneDNN packing or its GEMM
    // panels. Made as ordinary tensors even under inference mode, so a later training step can
    // save them.
    const bool plainBf16 = kernel == LinearKernel::AtenLinear && type == torch::kBFloat16;
    const bool needPacking = kernel == LinearKernel::OneDnnPacked;
    const bool needPanels = kernel == LinearKernel::PackedGemm;
    // A switch between emulated bf16 (training) and fp32 (evaluation) prepares the weight anew.
    if (stale(packed, w) || packed.emulated != emulate ||
        (packed.panels.defined() && packed.panels.scalar_type() != type)) {
        restamp(packed, w);
        packed.emulated = emulate;
    }
    if ((emulate && !packed.roundedWeight.defined()) || (plainBf16 && !packed.plainWeight.defined()) ||
        (needPacking && !packed.weight.defined()) || (needPanels && !packed.panels.defined())) {
        c10::InferenceMode ordinaryTensors(false);
        torch::NoGradGuard noGrad;
        if (emulate && !packed.roundedWeight.defined()) {
            packed.roundedWeight = roundBf16(w.detach());
            packed.roundedBias = roundBf16(b.detach());
            packed.dense = packed.roundedWeight;
        }
        if (plainBf16) makeBf16Copy(packed, w, b);
        if (needPacking && !packed.weight.defined()) {
            const auto& wIn = emulate ? packed.roundedWeight : w;
            const auto& bIn = emulate ? packed.roundedBias : b;
            packed.weight = wIn.detach().to(type).contiguous().to_mkldnn();
            packed.bias = bIn.detach().to(type).contiguous().to_mkldnn();
        }
        if (needPanels && !packed.panels.defined()) {
            const auto wIn = (emulate ? packed.roundedWeight : w).detach().contiguous();
            if (type == torch::kBFloat16) {
                packed.panels = bf16Panels(wIn);
            } else {
                packed.panels = torch::empty({packedGemmPanelFloats(wIn.size(0), wIn.size(1))});
                packGemmWeight(wIn.data_ptr<float>(), wIn.size(0), wIn.size(1), packed.panels.data_ptr<float>());
            }
            if (b.defined()) packed.panelBias = (emulate ? packed.roundedBias : b).detach().contiguous();
        }
    }
    const auto xIn = emulate ? roundBf16(x) : x; // differentiable: the gradient passes through
    auto sizes = x.sizes().vec();
    sizes.back() = w.size(0);
    if (kernel == LinearKernel::AtenLinear) {
        if (emulate) return plainLinear(xIn, packed.roundedWeight, packed.roundedBias);
        if (type == torch::kFloat32) return plainLinear(xIn, w.detach(), b.detach());
        return F::linear(xIn.to(torch::kBFloat16), packed.plainWeight, packed.plainBias).to(torch::kFloat32);
    }
    auto x2d = xIn.reshape({-1, x.size(-1)});
    if (inference || !xIn.requires_grad()) return frozenProduct(x2d, packed, type, kernel).view(sizes);
    return FrozenLinearFunction::apply(x2d, &packed, static_cast<int64_t>(type), static_cast<int64_t>(kernel))
        .view(sizes);
}

AttentionImpl::AttentionImpl(int width, int heads_) : heads(heads_)
{
    in_proj_weight = register_parameter("in_proj_weight", torch::empty({3 * width, width}));
    in_proj_bias = register_parameter("in_proj_bias", torch::zeros({3 * width}));
    out_proj = register_module("out_proj", torch::nn::Linear(width, width));
    torch::nn::init::xavier_uniform_(in_proj_weight);
}

torch::Tensor AttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& mask)
{
    auto projected = fastLinear(x, in_proj_weight, in_proj_bias, packedIn); // [N, L, 3D]
    if (inProjExtra) projected = projected + inProjExtra(x);
    const bool blas = projected.scalar_type() == torch::kFloat32 && projected.device().is_cpu() &&
        attentionKernelFor(x.size(0) * heads, x.size(1), x.size(2) / heads) == AttentionKernel::Blas;
    const auto out = blas ? attentionBlas(projected, heads, mask) : attentionAten(projected, heads, mask);
    return fastLinear(out, out_proj->weight, out_proj->bias, packedOut);
}

torch::Tensor AttentionImpl::forwardAtRows(const torch::Tensor& x, const torch::Tensor& mask, const torch::Tensor& rows)
{
    auto projected = fastLinear(x, in_proj_weight, in_proj_bias, packedIn); // keys and values of every position
    if (inProjExtra) projected = projected + inProjExtra(x);
    return fastLinear(attentionAtRows(projected, heads, mask, rows), out_proj->weight, out_proj->bias, packedOut);
}

MlpImpl::MlpImpl(int width, Activation activation_) : activation(activation_)
{
    c_fc = register_module("c_fc", torch::nn::Linear(width, 4 * width));
    c_proj = register_module("c_proj", torch::nn::Linear(4 * width, width));
}

torch::Tensor MlpImpl::forward(const torch::Tensor& x)
{
    auto h = fastLinear(x, c_fc->weight, c_fc->bias, packedFc);
    if (activation == Activation::QuickGelu) {
        if (h.requires_grad()) {
            h = QuickGeluFunction::apply(h);
        } else {
            quickGeluInPlace(h); // the block's largest activation: no temporary
        }
    } else {
        h = F::gelu(h);
    }
    return fastLinear(h, c_proj->weight, c_proj->bias, packedProj);
}

ResidualBlockImpl::ResidualBlockImpl(int width, int heads, Activation activation)
{
    attn = register_module("attn", Attention(width, heads));
    ln_1 = register_module("ln_1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({width}).eps(1e-5)));
    mlp = register_module("mlp", Mlp(width, activation));
    ln_2 = register_module("ln_2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({width}).eps(1e-5)));
}

torch::Tensor ResidualBlockImpl::forward(torch::Tensor x, const torch::Tensor& mask)
{
    auto a = attn(ln_1(x), mask);
    x = x + (afterAttention ? afterAttention(a) : a);
    auto m = mlp(ln_2(x));
    return x + (afterMlp ? afterMlp(m) : m);
}

namespace {
thread_local const PooledPositions* t_pooled = nullptr;
} // namespace

const PooledPositions* pooledPositions() { return t_pooled; }

torch::Tensor ResidualBlockImpl::forwardAtRows(const torch::Tensor& x, const torch::Tensor& mask,
                                               const torch::Tensor& rows)
{
    const PooledPositions pooled{rows, x.size(1)};
    struct Scope {
        const PooledPositions* previous;
        ~Scope() { t_pooled = previous; }
    } scope{t_pooled};
    t_pooled = &pooled;
    // Every step after the attention is per position, so it runs on ROWS' positions alone.
    auto a = attn->forwardAtRows(ln_1(x), mask, rows);
    auto y = x.index({torch::arange(x.size(0), rows.options()), rows}).unsqueeze(1) +
        (afterAttention ? afterAttention(a) : a);
    auto m = mlp(ln_2(y));
    return y + (afterMlp ? afterMlp(m) : m);
}

TransformerImpl::TransformerImpl(int width, int layers, int heads, Activation activation)
{
    resblocks = register_module("resblocks", torch::nn::ModuleList());
    for (int i = 0; i < layers; ++i) {
        blocks.push_back(ResidualBlock(width, heads, activation));
        resblocks->push_back(blocks.back());
    }
}

torch::Tensor TransformerImpl::forward(torch::Tensor x, const torch::Tensor& mask)
{
    for (auto& block : blocks) x = block->forward(x, mask);
    return x;
}

torch::Tensor TransformerImpl::forwardPooled(torch::Tensor x, const torch::Tensor& mask, const torch::Tensor& rows)
{
    for (size_t i = 0; i + 1 < blocks.size(); ++i) x = blocks[i]->forward(x, mask);
    return blocks.back()->forwardAtRows(x, mask, rows).squeeze(1);
}

VisionTransformerImpl::VisionTransformerImpl(const ClipConfig& c)
{
    const int w = c.visionWidth, g = c.gridSize();
    conv1 = register_module(
        "conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, w, c.patchSize).stride(c.patchSize).bias(false)));
    const double scale = std::pow(w, -0.5);
    class_embedding = register_parameter("class_embedding", torch::randn({w}) * scale);
    positional_embedding = register_parameter("positional_embedding", torch::randn({g * g + 1, w}) * scale);
    ln_pre = register_module("ln_pre", torch::nn::LayerNorm(torch::nn::LayerNormOptions({w}).eps(1e-5)));
    transformer = register_module("transformer", Transformer(w, c.visionLayers, c.visionHeads, c.activation));
    ln_post = register_module("ln_post", torch::nn::LayerNorm(torch::nn::LayerNormOptions({w}).eps(1e-5)));
    proj = register_parameter("proj", torch::randn({w, c.embedDim}) * scale);
}

torch::Tensor VisionTransformerImpl::patchEmbedding(const torch::Tensor& images)
{
    // conv1's stride is its kernel size, so each output is one patch's pixels times the flattened
    // kernel: one [N g^2, 3 P^2] x [3 P^2, W] product (3072 deep for ViT-B/32), which then runs on the
    // frozen-linear kernels (bf16 where the CPU has it) instead of a convolution, a tenth of ViT-B/32
    // inference's time in bf16. Other image sizes keep the convolution.
    const auto& weight = conv1->weight;
    const int64_t width = weight.size(0), channels = weight.size(1), p = weight.size(2);
    if (images.dim() != 4 || images.size(2) % p != 0 || images.size(3) % p != 0) {
        return conv1(images).flatten(2).transpose(1, 2);
    }
    const int64_t n = images.size(0), gh = images.size(2) / p, gw = images.size(3) / p;
    const auto patches =
        images.reshape({n, channels, gh, p, gw, p}).permute({0, 2, 4, 1, 3, 5}).reshape({n, gh * gw, channels * p * p});
    if (!patchBias.defined() || patchBias.size(0) != width) {
        c10::InferenceMode ordinaryTensors(false);
        patchBias = torch::zeros({width}, weight.options().requires_grad(false));
    }
    return fastLinear(patches, weight.view({width, channels * p * p}), patchBias, packedPatch);
}

torch::Tensor VisionTransformerImpl::forward(const torch::Tensor& images)
{
    // Fault injection for the tests that prove no libtorch error escapes a front end: a real
    // c10::Error, backtrace and all, from inside the model.
    TORCH_CHECK(!std::getenv("RADAPTER_INJECT_TORCH_ERROR"),
                "injected failure for testing (RADAPTER_INJECT_TORCH_ERROR is set)");
    // Under bf16 autocast conv1 returns bf16; adding the fp32 positional embedding promotes the
    // residual stream back to fp32, as in eager PyTorch, so LayerNorms see fp32.
    auto x = patchEmbedding(images); // [N, g*g, W]
    auto cls = class_embedding.to(x.dtype()).view({1, 1, -1}).expand({x.size(0), 1, x.size(2)});
    x = torch::cat({cls, x}, 1) + positional_embedding;
    x = ln_pre(x);
    // Only the class token's output is read: the last block computes it alone.
    x = transformer->forwardPooled(x, torch::Tensor(),
                                   torch::zeros({x.size(0)}, torch::dtype(torch::kInt64).device(x.device())));
    x = ln_post(x);
    return torch::matmul(x, proj);
}

ClipModelImpl::ClipModelImpl(const ClipConfig& c) : config(c)
{
    visual = register_module("visual", VisionTransformer(c));
    token_embedding = register_module("token_embedding", torch::nn::Embedding(c.vocabSize, c.textWidth));
    positional_embedding = register_parameter("positional_embedding",
                                              torch::randn({c.contextLength, c.textWidth}) * 0.01);
    transformer = register_module("transformer", Transformer(c.textWidth, c.textLayers, c.textHeads, c.activation));
    ln_final = register_module("ln_final", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.textWidth}).eps(1e-5)));
    text_projection = register_parameter("text_projection",
                                         torch::randn({c.textWidth, c.embedDim}) * std::pow(c.textWidth, -0.5));
    logit_scale = register_parameter("logit_scale", torch::full({}, std::log(1.0 / 0.07)));
    causalMask = torch::full({c.contextLength, c.contextLength}, -std::numeric_limits<float>::infinity()).triu(1);
}

std::vector<PackedLinear*> ClipModelImpl::packedLinears()
{
    std::vector<PackedLinear*> out{&visual->packedPatch};
    for (auto* t : {&visual->transformer, &transformer})
        for (auto& block : (*t)->blocks) {
            out.push_back(&block->attn->packedIn);
            out.push_back(&block->attn->packedOut);
            out.push_back(&block->mlp->packedFc);
            out.push_back(&block->mlp->packedProj);
        }
    return out;
}

void ClipModelImpl::setLinearComputeType(torch::ScalarType type)
{
    for (PackedLinear* p : packedLinears()) *p = PackedLinear{type};
}

torch::Tensor ClipModelImpl::encodeImage(const torch::Tensor& images) { return visual(images); }

torch::Tensor ClipModelImpl::encodeText(const torch::Tensor& tokens)
{
    // Pool at the end-of-text token: the highest id in each row (first one on ties, as argmax).
    const auto eot = tokens.argmax(-1);
    // Under the causal mask no position sees a later one, so the end-of-text outputs do not depend
    // on anything after the batch's last end-of-text token: the rest of the context (the padding
    // of short prompts, most of CLIP's 77 positions) is never computed. The same function, with a
    // fraction of the text tower's work for short texts.
    const int64_t l = tokens.numel() > 0 ? eot.max().item<int64_t>() + 1 : tokens.size(1);
    auto x = token_embedding(tokens.narrow(1, 0, l)) + positional_embedding.narrow(0, 0, l);
    auto mask = causalMask.slice(0, 0, l).slice(1, 0, l).to(x.device()); // made on the CPU with the model
    x = ln_final(transformer->forwardPooled(x, mask, eot)); // the last block for each end-of-text token alone
    return torch::matmul(x, text_projection);
}

void loadStateDict(ClipModelImpl& model, const std::map<std::string, torch::Tensor>& tensors, const std::string& source)
{
    torch::NoGradGuard noGrad;
    for (auto& item : model.named_parameters(/*recurse=*/true)) {
        auto it = tensors.find(item.key());
        if (it == tensors.end()) throw Error(source + ": the tensor '" + item.key() + "' is missing.");
        const auto& src = it->second;
        if (src.sizes() != item.value().sizes()) {
            std::ostringstream want, got;
            want << item.value().sizes();
            got << src.sizes();
            throw Error(source + ": the tensor '" + item.key() + "' has shape " + got.str() + " but the model needs " +
                        want.str() + ".");
        }
        item.value().copy_(src.to(item.value().dtype()));
    }
}

} // namespace ra
