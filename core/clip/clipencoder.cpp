#include "clip/clipencoder_p.h"

#include "clip/imagepreprocess.h"
#include "clip/tokenizer.h"
#include "io/checkpoint.h"
#include "platform/computedevice_p.h"
#include "util/error.h"

#include <cstring>

namespace ra {

torch::Tensor toDoubleTensor(const FloatMatrix& m)
{
    return torch::from_blob(const_cast<float*>(m.data.data()), {m.rows, m.cols}).to(torch::kFloat64);
}

FloatMatrix toMatrix(const torch::Tensor& t)
{
    auto c = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    FloatMatrix m;
    m.rows = c.size(0);
    m.cols = c.dim() > 1 ? c.size(1) : 1;
    m.data.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
    return m;
}

torch::Tensor ClipEncoder::Impl::toTensor(const std::vector<std::vector<float>>& images) const
{
    const int r = model->config.imageResolution;
    const size_t per = static_cast<size_t>(3) * r * r;
    auto t = torch::empty({static_cast<int64_t>(images.size()), 3, r, r});
    for (size_t i = 0; i < images.size(); ++i) {
        if (images[i].size() != per)
            throw Error("an image has the wrong size for this model (expected 3x" + std::to_string(r) + "x" +
                        std::to_string(r) + ").");
        std::memcpy(t.data_ptr<float>() + i * per, images[i].data(), per * sizeof(float));
    }
    return t.to(computeDevice());
}

ClipEncoder::ClipEncoder() : d(std::make_unique<Impl>()) {}
ClipEncoder::~ClipEncoder() = default;

ModelDescription ClipEncoder::describe(const std::string& path)
{
    const LoadedCheckpoint ckpt = readCheckpoint(path, /*shapesOnly=*/true);
    return {ckpt.config, ra::layoutName(ckpt.layout)};
}

std::unique_ptr<ClipEncoder> ClipEncoder::load(const std::string& path)
{
    LoadedCheckpoint ckpt = readCheckpoint(path);
    std::unique_ptr<ClipEncoder> enc(new ClipEncoder());
    try {
        enc->d->model = ClipModel(ckpt.config);
        loadStateDict(*enc->d->model, ckpt.tensors, path);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(path + ": could not build the model (" + std::string(e.what()).substr(0, 200) + ").");
    }
    enc->d->model->to(computeDevice());
    enc->d->model->eval();
    enc->d->source = path;
    enc->d->layout = ra::layoutName(ckpt.layout);
    return enc;
}

std::unique_ptr<ClipEncoder> ClipEncoder::random(const ClipConfig& config, uint64_t seed)
{
    config.validate("random model");
    torch::manual_seed(seed);
    std::unique_ptr<ClipEncoder> enc(new ClipEncoder());
    enc->d->model = ClipModel(config);
    enc->d->model->to(computeDevice());
    enc->d->model->eval();
    enc->d->source = "random";
    enc->d->layout = "random initialisation";
    return enc;
}

const ClipConfig& ClipEncoder::config() const { return d->model->config; }
std::string ClipEncoder::source() const { return d->source; }
std::string ClipEncoder::layoutName() const { return d->layout; }
float ClipEncoder::logitScale() const { return d->model->logit_scale.detach().to(torch::kFloat32).exp().item<float>(); }
Precision ClipEncoder::precision() const { return d->precision; }

ComputePrecision ClipEncoder::setPrecision(Precision precision)
{
    const ComputePrecision compute = resolvePrecisionOnDevice(precision);
    d->precision = precision;
    if (compute == d->compute) return compute;
    // Weights stay float32 (the master copy); only the big matrix products switch type. Emulated
    // bf16 keeps fp32 kernels and rounds their operands (InferencePrecisionScope around each encode).
    d->model->setLinearComputeType(compute == ComputePrecision::Bf16 ? torch::kBFloat16 : torch::kFloat32);
    d->compute = compute;
    return compute;
}

FloatMatrix ClipEncoder::encodeImages(const std::vector<std::vector<float>>& images)
{
    if (images.empty()) return FloatMatrix{0, config().embedDim, {}};
    c10::InferenceMode guard;
    InferencePrecisionScope precision(d->compute);
    return toMatrix(d->model->encodeImage(d->toTensor(images)));
}

FloatMatrix ClipEncoder::encodeImageFiles(const std::vector<std::string>& paths)
{
    std::vector<std::vector<float>> images;
    images.reserve(paths.size());
    for (const auto& p : paths) images.push_back(clipPreprocess(decodeImage(p), config().imageResolution));
    return encodeImages(images);
}

FloatMatrix ClipEncoder::encodeTexts(const std::vector<std::string>& texts)
{
    std::vector<std::vector<int64_t>> tokens;
    tokens.reserve(texts.size());
    for (const auto& t : texts) tokens.push_back(Tokenizer::instance().tokenize(t, config().contextLength));
    return encodeTokens(tokens);
}

FloatMatrix ClipEncoder::encodeTokens(const std::vector<std::vector<int64_t>>& tokens)
{
    if (tokens.empty()) return FloatMatrix{0, config().embedDim, {}};
    const int64_t ctx = config().contextLength;
    auto t = torch::zeros({static_cast<int64_t>(tokens.size()), ctx}, torch::kInt64);
    for (size_t i = 0; i < tokens.size(); ++i) {
        if (static_cast<int64_t>(tokens[i].size()) != ctx)
            throw Error("a token row does not match the model's context length.");
        for (int64_t id : tokens[i])
            if (id < 0 || id >= config().vocabSize) throw Error("a token id is outside the model's vocabulary.");
        std::memcpy(t.data_ptr<int64_t>() + i * ctx, tokens[i].data(), ctx * sizeof(int64_t));
    }
    c10::InferenceMode guard;
    InferencePrecisionScope precision(d->compute);
    return toMatrix(d->model->encodeText(t.to(computeDevice())));
}

} // namespace ra
