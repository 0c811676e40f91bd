#include "clip/clipmodel.h"

#include "util/error.h"

#include <cmath>

namespace F = torch::nn::functional;

namespace ra {

torch::Tensor fastLinear(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b, PackedLinear& packed)
{
    const bool eligible = c10::InferenceMode::is_enabled() && x.scalar_type() == torch::kFloat32
        && w.scalar_type() == torch::kFloat32 && !w.is_inference() && x.device().is_cpu() && torch::hasMKLDNN();
    if (!eligible) return F::linear(x, w, b);
    const auto type = packed.computeType;
    if (!packed.weight.defined() || packed.version != static_cast<int64_t>(w._version()) || packed.source != w.data_ptr()) {
        packed.weight = w.to(type).contiguous().to_mkldnn();
        packed.bias = b.to(type).contiguous().to_mkldnn();
        packed.version = static_cast<int64_t>(w._version());
        packed.source = w.data_ptr();
    }
    auto sizes = x.sizes().vec();
    auto in = x.reshape({-1, x.size(-1)}).to(type).contiguous().to_mkldnn();
    auto y = torch::mkldnn_linear(in, packed.weight, packed.bias).to_dense().to(torch::kFloat32);
    sizes.back() = w.size(0);
    return y.view(sizes);
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
    const int64_t n = x.size(0), l = x.size(1), d = x.size(2), hd = d / heads;
    // [N, L, 3D] -> [3, N, H, L, hd]
    auto projected = fastLinear(x, in_proj_weight, in_proj_bias, packedIn);
    if (inProjExtra) projected = projected + inProjExtra(x);
    auto qkv = projected.view({n, l, 3, heads, hd}).permute({2, 0, 3, 1, 4});
    auto q = qkv[0], k = qkv[1], v = qkv[2];
    q = q * (1.0 / std::sqrt(static_cast<double>(hd)));
    auto scores = torch::matmul(q, k.transpose(-2, -1));
    if (mask.defined()) scores = scores + mask;
    auto out = torch::matmul(torch::softmax(scores, -1), v); // [N, H, L, hd]
    out = out.transpose(1, 2).reshape({n, l, d});
    return fastLinear(out, out_proj->weight, out_proj->bias, packedOut);
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
            h = h * torch::sigmoid(h * 1.702);
        } else {
            // In place: one temporary instead of three for the largest activation of the block.
            auto gate = h.mul(1.702);
            gate.sigmoid_();
            h.mul_(gate);
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

VisionTransformerImpl::VisionTransformerImpl(const ClipConfig& c)
{
    const int w = c.visionWidth, g = c.gridSize();
    conv1 = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, w, c.patchSize).stride(c.patchSize).bias(false)));
    const double scale = std::pow(w, -0.5);
    class_embedding = register_parameter("class_embedding", torch::randn({w}) * scale);
    positional_embedding = register_parameter("positional_embedding", torch::randn({g * g + 1, w}) * scale);
    ln_pre = register_module("ln_pre", torch::nn::LayerNorm(torch::nn::LayerNormOptions({w}).eps(1e-5)));
    transformer = register_module("transformer", Transformer(w, c.visionLayers, c.visionHeads, c.activation));
    ln_post = register_module("ln_post", torch::nn::LayerNorm(torch::nn::LayerNormOptions({w}).eps(1e-5)));
    proj = register_parameter("proj", torch::randn({w, c.embedDim}) * scale);
}

torch::Tensor VisionTransformerImpl::forward(const torch::Tensor& images)
{
    auto x = conv1(images.to(conv1->weight.dtype()));   // [N, W, g, g]
    x = x.flatten(2).transpose(1, 2);                   // [N, g*g, W]
    auto cls = class_embedding.to(x.dtype()).view({1, 1, -1}).expand({x.size(0), 1, x.size(2)});
    x = torch::cat({cls, x}, 1) + positional_embedding.to(x.dtype());
    x = ln_pre(x);
    x = transformer(x, torch::Tensor());
    x = ln_post(x.select(1, 0));
    return torch::matmul(x, proj);
}

ClipModelImpl::ClipModelImpl(const ClipConfig& c) : config(c)
{
    visual = register_module("visual", VisionTransformer(c));
    token_embedding = register_module("token_embedding", torch::nn::Embedding(c.vocabSize, c.textWidth));
    positional_embedding = register_parameter("positional_embedding", torch::randn({c.contextLength, c.textWidth}) * 0.01);
    transformer = register_module("transformer", Transformer(c.textWidth, c.textLayers, c.textHeads, c.activation));
    ln_final = register_module("ln_final", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.textWidth}).eps(1e-5)));
    text_projection = register_parameter("text_projection", torch::randn({c.textWidth, c.embedDim}) * std::pow(c.textWidth, -0.5));
    logit_scale = register_parameter("logit_scale", torch::full({}, std::log(1.0 / 0.07)));
    causalMask = torch::full({c.contextLength, c.contextLength}, -std::numeric_limits<float>::infinity()).triu(1);
}

std::vector<PackedLinear*> ClipModelImpl::packedLinears()
{
    std::vector<PackedLinear*> out;
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
    const auto dtype = token_embedding->weight.dtype();
    auto x = token_embedding(tokens) + positional_embedding.to(dtype);
    const int64_t l = tokens.size(1);
    auto mask = causalMask.slice(0, 0, l).slice(1, 0, l).to(dtype);
    x = transformer(x, mask);
    x = ln_final(x);
    // Pool at the end-of-text token: the highest id in each row (first one on ties, as argmax).
    auto eot = tokens.argmax(-1);
    x = x.index({torch::arange(x.size(0)), eot});
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
            throw Error(source + ": the tensor '" + item.key() + "' has shape " + got.str() + " but the model needs "
                        + want.str() + ".");
        }
        item.value().copy_(src.to(item.value().dtype()));
    }
}

} // namespace ra
