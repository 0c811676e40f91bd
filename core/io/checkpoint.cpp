#include "io/checkpoint.h"

#include "io/atomicfile.h"
#include "io/lockedfiles.h"
#include "io/safetensors.h"
#include "io/zipcheck.h"
#include "util/error.h"

#include <nlohmann/json.hpp>
#include <torch/script.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

namespace fs = std::filesystem;

namespace ra {
namespace {

torch::ScalarType torchType(DType dtype)
{
    switch (dtype) {
    case DType::Bool: return torch::kBool;
    case DType::U8: return torch::kUInt8;
    case DType::I8: return torch::kInt8;
    case DType::I16: return torch::kInt16;
    case DType::F16: return torch::kHalf;
    case DType::BF16: return torch::kBFloat16;
    case DType::I32: return torch::kInt32;
    case DType::F32: return torch::kFloat32;
    case DType::I64: return torch::kInt64;
    case DType::F64: return torch::kFloat64;
    default: return torch::kFloat32; // U16/U32/U64 have no torch 1.13 type: handled by the caller
    }
}

DType safeType(torch::ScalarType t)
{
    switch (t) {
    case torch::kHalf: return DType::F16;
    case torch::kBFloat16: return DType::BF16;
    case torch::kInt64: return DType::I64;
    case torch::kInt32: return DType::I32;
    default: return DType::F32;
    }
}

bool startsWith(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }
bool endsWith(const std::string& s, const std::string& p)
{
    return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}

bool looksLikeZip(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    in.read(magic, 4);
    return in.gcount() == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}

torch::Tensor requireTensor(const std::map<std::string, torch::Tensor>& t, const std::string& name,
                            const std::string& source)
{
    auto it = t.find(name);
    if (it == t.end()) throw Error(source + ": the tensor '" + name + "' is missing.");
    return it->second;
}

int countLayers(const std::map<std::string, torch::Tensor>& tensors, const std::string& prefix)
{
    std::set<int> layers;
    const std::regex re("^" + prefix + R"(resblocks\.(\d+)\.)");
    std::smatch m;
    for (const auto& [name, t] : tensors)
        if (std::regex_search(name, m, re)) layers.insert(std::stoi(m[1]));
    return static_cast<int>(layers.size());
}

std::map<std::string, torch::Tensor> readTorchScript(const std::string& path)
{
    checkZipArchive(path); // libtorch checks neither CRCs nor record bounds
    torch::jit::Module module;
    try {
        module = torch::jit::load(path, torch::Device(torch::kCPU));
    } catch (const std::exception& e) {
        const std::string what = e.what();
        if (what.find("constants.pkl") != std::string::npos)
            throw Error(path +
                        ": this is a torch.save() pickle, not a TorchScript archive; convert it to .safetensors "
                        "(for example with safetensors.torch.save_file) and load that.");
        throw Error(path + ": not a readable TorchScript archive (" + what.substr(0, what.find('\n')) + ").");
    }
    std::map<std::string, torch::Tensor> tensors;
    for (const auto& p : module.named_parameters(/*recurse=*/true)) tensors[p.name] = p.value.detach();
    for (const auto& b : module.named_buffers(/*recurse=*/true)) tensors[b.name] = b.value.detach();
    for (const char* extra : {"input_resolution", "context_length", "vocab_size"}) tensors.erase(extra);
    for (auto& [name, t] : tensors)
        if (t.is_floating_point()) t = t.to(torch::kFloat32).contiguous();
    return tensors;
}

// Every CLIP weight is floating point; an integer tensor copied into a float parameter would give
// numbers like 1e10 with no error.
void requireFloatingWeights(std::map<std::string, torch::Tensor>& tensors, const std::string& source)
{
    for (auto it = tensors.begin(); it != tensors.end();) { // integer buffers some exporters add
        const std::string& n = it->first;
        const bool extra = n == "input_resolution" || n == "context_length" || n == "vocab_size" ||
            n.find("position_ids") != std::string::npos;
        it = extra && !it->second.is_floating_point() ? tensors.erase(it) : std::next(it);
    }
    for (const auto& [name, t] : tensors)
        if (!t.is_floating_point())
            throw Error(source + ": the tensor '" + name + "' is stored as " +
                        std::string(c10::toString(t.scalar_type())) +
                        "; CLIP weights must be floating point (F32, F16 or BF16).");
    for (const auto& [name, t] : tensors)
        if (!t.is_meta() && !torch::isfinite(t).all().item<bool>())
            throw Error(source + ": the tensor '" + name +
                        "' holds NaN or infinite values; the checkpoint is damaged.");
}

Activation activationFromName(const std::string& name, const std::string& source)
{
    if (name == "quick_gelu" || name == "quickgelu") return Activation::QuickGelu;
    if (name == "gelu" || name == "gelu_python" || name == "gelu_new") return Activation::Gelu;
    throw Error(source + ": the activation '" + name + "' is not supported (quick_gelu or gelu).");
}

LoadedCheckpoint readHuggingFaceFolder(const std::string& folder, bool shapesOnly)
{
    const fs::path configPath = fs::path(folder) / "config.json";
    const fs::path weightsPath = fs::path(folder) / "model.safetensors";
    if (!fs::exists(configPath))
        throw Error(configPath.string() + ": missing; a Hugging Face CLIP folder needs config.json.");
    if (!fs::exists(weightsPath))
        throw Error(weightsPath.string() +
                    ": missing; only safetensors weights are supported in Hugging Face folders.");
    for (const fs::path& p : {configPath, weightsPath})
        if (!fs::is_regular_file(p)) throw Error(p.string() + ": not a regular file (a folder, a pipe or a device?).");
    nlohmann::json config;
    try {
        std::ifstream in(configPath);
        config = nlohmann::json::parse(in);
    } catch (const std::exception&) {
        throw Error(configPath.string() + ": not valid JSON.");
    }
    if (!config.is_object()) throw Error(configPath.string() + ": not a JSON object.");
    LoadedCheckpoint out;
    out.layout = CheckpointLayout::HuggingFaceFolder;
    auto hf = readSafeTensorsAsTorch(weightsPath.string(), &out.metadata, shapesOnly);
    out.tensors = huggingFaceToOpenAi(hf, weightsPath.string());
    requireFloatingWeights(out.tensors, weightsPath.string());
    out.config = inferConfig(out.tensors, weightsPath.string());
    auto sub = [&](const char* key) {
        if (!config.contains(key)) return nlohmann::json::object();
        if (!config[key].is_object()) throw Error(configPath.string() + ": '" + key + "' must be an object.");
        return config[key];
    };
    const auto text = sub("text_config"), vision = sub("vision_config");
    auto heads = [&](const nlohmann::json& tower, const char* towerName, int fallback) {
        if (!tower.contains("num_attention_heads")) return fallback;
        const auto& v = tower["num_attention_heads"];
        if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > 4096)
            throw Error(configPath.string() + ": " + towerName +
                        ".num_attention_heads must be a whole number from 1 to 4096, got " + v.dump() + ".");
        return int(v.get<int64_t>());
    };
    try {
        out.config.textHeads = heads(text, "text_config", out.config.textHeads);
        out.config.visionHeads = heads(vision, "vision_config", out.config.visionHeads);
        const std::string act = text.value("hidden_act", std::string("quick_gelu"));
        const std::string vact = vision.value("hidden_act", act);
        if (act != vact)
            throw Error(configPath.string() + ": different activations in the two towers are not supported.");
        out.config.activation = activationFromName(act, configPath.string());
    } catch (const nlohmann::json::exception&) {
        throw Error(configPath.string() + ": a field has the wrong type.");
    }
    out.config.validate(folder);
    return out;
}

} // namespace

const char* layoutName(CheckpointLayout layout)
{
    switch (layout) {
    case CheckpointLayout::OpenAiTorchScript: return "OpenAI TorchScript (.pt)";
    case CheckpointLayout::OpenAiSafeTensors: return "OpenAI/open_clip safetensors";
    case CheckpointLayout::HuggingFaceFolder: return "Hugging Face CLIPModel folder";
    }
    return "?";
}

std::map<std::string, torch::Tensor> readSafeTensorsAsTorch(const std::string& path,
                                                            std::map<std::string, std::string>* metadata,
                                                            bool shapesOnly)
{
    const SafeTensorsFile file = SafeTensorsFile::open(path, shapesOnly);
    if (metadata) *metadata = file.metadata();
    std::map<std::string, torch::Tensor> out;
    for (const auto& [name, info] : file.tensors()) {
        if (info.dtype == DType::U16 || info.dtype == DType::U32 || info.dtype == DType::U64) {
            if (startsWith(name, "text_model.") || startsWith(name, "vision_model.") ||
                name.find('.') == std::string::npos)
                continue; // unsigned buffers are never CLIP weights; skip them
        }
        if (shapesOnly) {
            const auto type = torchType(info.dtype);
            out[name] = torch::empty(
                info.shape,
                torch::TensorOptions().dtype(c10::isFloatingType(type) ? torch::kFloat32 : type).device(torch::kMeta));
            continue;
        }
        auto t = torch::empty(info.shape, torch::TensorOptions().dtype(torchType(info.dtype)));
        std::memcpy(t.data_ptr(), file.data(name), info.end - info.begin);
        if (t.is_floating_point()) t = t.to(torch::kFloat32);
        out[name] = t.contiguous();
    }
    return out;
}

ClipConfig inferConfig(const std::map<std::string, torch::Tensor>& tensors, const std::string& source)
{
    if (!tensors.count("visual.proj") || !tensors.count("token_embedding.weight")) {
        if (tensors.count("visual.layer1.0.conv1.weight"))
            throw Error(source + ": ResNet CLIP models are not supported; use a ViT model.");
        throw Error(source + ": not a CLIP checkpoint (no 'visual.proj' or 'token_embedding.weight' tensor).");
    }
    auto dim = [&](const std::string& name, int64_t index, int64_t rank) {
        const auto t = requireTensor(tensors, name, source);
        if (t.dim() != rank) {
            throw Error(source + ": the tensor '" + name + "' has " + std::to_string(t.dim()) +
                        " dimensions, expected " + std::to_string(rank) + ".");
        }
        return static_cast<int>(t.size(index < 0 ? t.dim() + index : index));
    };
    ClipConfig c;
    c.visionWidth = dim("visual.conv1.weight", 0, 4);
    c.patchSize = dim("visual.conv1.weight", -1, 4);
    const int positions = dim("visual.positional_embedding", 0, 2);
    const int grid = static_cast<int>(std::lround(std::sqrt(std::max(0, positions - 1))));
    if (grid * grid + 1 != positions)
        throw Error(source + ": visual.positional_embedding has " + std::to_string(positions) +
                    " rows, which is not a square grid plus the class token.");
    c.imageResolution = c.patchSize * grid;
    c.visionLayers = countLayers(tensors, "visual\\.transformer\\.");
    c.visionHeads = std::max(1, c.visionWidth / 64);
    c.embedDim = dim("text_projection", 1, 2);
    c.contextLength = dim("positional_embedding", 0, 2);
    c.vocabSize = dim("token_embedding.weight", 0, 2);
    c.textWidth = dim("ln_final.weight", 0, 1);
    c.textHeads = std::max(1, c.textWidth / 64);
    c.textLayers = countLayers(tensors, "transformer\\.");
    c.validate(source);
    return c;
}

namespace {

// The one name table between the layouts, read in both directions: OpenAI name, Hugging Face
// name, and whether the tensor is stored transposed in one of them. Per-layer names follow the
// tower's layer prefix; q/k/v are one in_proj tensor in OpenAI's layout and three in HF's.
struct NamePair {
    const char* openai;
    const char* hf;
    bool transposed;
};

constexpr NamePair kModelNames[] = {
    {"token_embedding.weight", "text_model.embeddings.token_embedding.weight", false},
    {"positional_embedding", "text_model.embeddings.position_embedding.weight", false},
    {"ln_final.weight", "text_model.final_layer_norm.weight", false},
    {"ln_final.bias", "text_model.final_layer_norm.bias", false},
    {"text_projection", "text_projection.weight", true},
    {"visual.class_embedding", "vision_model.embeddings.class_embedding", false},
    {"visual.conv1.weight", "vision_model.embeddings.patch_embedding.weight", false},
    {"visual.positional_embedding", "vision_model.embeddings.position_embedding.weight", false},
    {"visual.ln_pre.weight", "vision_model.pre_layrnorm.weight", false},
    {"visual.ln_pre.bias", "vision_model.pre_layrnorm.bias", false},
    {"visual.ln_post.weight", "vision_model.post_layernorm.weight", false},
    {"visual.ln_post.bias", "vision_model.post_layernorm.bias", false},
    {"visual.proj", "visual_projection.weight", true},
};

constexpr NamePair kLayerNames[] = {
    {"attn.out_proj.weight", "self_attn.out_proj.weight", false},
    {"attn.out_proj.bias", "self_attn.out_proj.bias", false},
    {"ln_1.weight", "layer_norm1.weight", false},
    {"ln_1.bias", "layer_norm1.bias", false},
    {"ln_2.weight", "layer_norm2.weight", false},
    {"ln_2.bias", "layer_norm2.bias", false},
    {"mlp.c_fc.weight", "mlp.fc1.weight", false},
    {"mlp.c_fc.bias", "mlp.fc1.bias", false},
    {"mlp.c_proj.weight", "mlp.fc2.weight", false},
    {"mlp.c_proj.bias", "mlp.fc2.bias", false},
};

constexpr const char* kQkv[3] = {"q_proj", "k_proj", "v_proj"};

struct Tower {
    const char* openaiPrefix; // + layer index + "."
    const char* hfPrefix;
};
constexpr Tower kVisionTower{"visual.transformer.resblocks.", "vision_model.encoder.layers."};
constexpr Tower kTextTower{"transformer.resblocks.", "text_model.encoder.layers."};

torch::Tensor converted(const torch::Tensor& t, bool transposed) { return transposed ? t.t().contiguous() : t; }

} // namespace

std::map<std::string, torch::Tensor> huggingFaceToOpenAi(const std::map<std::string, torch::Tensor>& hf,
                                                         const std::string& source)
{
    if (!hf.count("vision_model.embeddings.patch_embedding.weight") ||
        !hf.count("text_model.embeddings.token_embedding.weight"))
        throw Error(source + ": not a Hugging Face CLIPModel checkpoint (no vision_model/text_model embeddings).");
    std::map<std::string, torch::Tensor> out;
    auto get = [&](const std::string& name) { return requireTensor(hf, name, source); };
    for (const NamePair& n : kModelNames) out[n.openai] = converted(get(n.hf), n.transposed);
    out["logit_scale"] = get("logit_scale").reshape({});
    const std::regex layerRe(R"(^(text_model|vision_model)\.encoder\.layers\.(\d+)\.)");
    std::set<std::pair<std::string, int>> layers;
    std::smatch m;
    for (const auto& [name, t] : hf)
        if (std::regex_search(name, m, layerRe)) layers.insert({m[1], std::stoi(m[2])});
    for (const auto& [towerName, i] : layers) {
        const Tower& tower = towerName == "vision_model" ? kVisionTower : kTextTower;
        const std::string from = tower.hfPrefix + std::to_string(i) + ".";
        const std::string to = tower.openaiPrefix + std::to_string(i) + ".";
        for (const char* part : {"weight", "bias"}) {
            std::vector<torch::Tensor> qkv;
            for (const char* p : kQkv) qkv.push_back(get(from + "self_attn." + p + "." + part));
            out[to + "attn.in_proj_" + part] = torch::cat(qkv, 0);
        }
        for (const NamePair& n : kLayerNames) out[to + n.openai] = converted(get(from + n.hf), n.transposed);
    }
    return out;
}

std::map<std::string, torch::Tensor> openAiToHuggingFace(const std::map<std::string, torch::Tensor>& o,
                                                         const ClipConfig& c)
{
    std::map<std::string, torch::Tensor> out;
    auto get = [&](const std::string& name) { return requireTensor(o, name, "export"); };
    for (const NamePair& n : kModelNames) out[n.hf] = converted(get(n.openai), n.transposed);
    out["logit_scale"] = get("logit_scale").reshape({});
    for (const auto& [tower, layers] : {std::pair{kVisionTower, c.visionLayers}, std::pair{kTextTower, c.textLayers}})
        for (int i = 0; i < layers; ++i) {
            const std::string from = tower.openaiPrefix + std::to_string(i) + ".";
            const std::string to = tower.hfPrefix + std::to_string(i) + ".";
            for (const char* part : {"weight", "bias"}) {
                const auto qkv = get(from + "attn.in_proj_" + part).chunk(3, 0);
                for (int k = 0; k < 3; ++k) out[to + "self_attn." + kQkv[k] + "." + part] = qkv[size_t(k)].contiguous();
            }
            for (const NamePair& n : kLayerNames) out[to + n.hf] = converted(get(from + n.openai), n.transposed);
        }
    return out;
}

LoadedCheckpoint readCheckpoint(const std::string& path, bool shapesOnly)
{
    std::error_code ec;
    if (!fs::exists(path, ec)) throw Error(path + ": no such file or folder.");
    if (fs::is_directory(path, ec)) return readHuggingFaceFolder(path, shapesOnly);
    // A pipe, socket or device would block or never end: only regular files are read.
    if (!fs::is_regular_file(path, ec))
        throw Error(path + ": not a regular file (a pipe or a device?); give a checkpoint file.");
    // Never opened to look: the close would drop the locks this process holds on it.
    if (isLockedByThisProcess(path)) throw Error(path + ": is a run store this program has open, not a checkpoint.");
    LoadedCheckpoint out;
    try {
        if (looksLikeZip(path)) {
            out.layout = CheckpointLayout::OpenAiTorchScript;
            out.tensors = readTorchScript(path);
        } else {
            out.layout = CheckpointLayout::OpenAiSafeTensors;
            out.tensors = readSafeTensorsAsTorch(path, &out.metadata, shapesOnly);
            // A Hugging Face model.safetensors given directly: map its names too.
            if (out.tensors.count("vision_model.embeddings.patch_embedding.weight"))
                out.tensors = huggingFaceToOpenAi(out.tensors, path);
        }
        // open_clip may store logit_scale with shape [1].
        if (out.tensors.count("logit_scale")) out.tensors["logit_scale"] = out.tensors["logit_scale"].reshape({});
        requireFloatingWeights(out.tensors, path);
        out.config = inferConfig(out.tensors, path);
        auto act = out.metadata.find("activation");
        if (act != out.metadata.end()) out.config.activation = activationFromName(act->second, path);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(path + ": " + std::string(e.what()).substr(0, 200));
    }
    return out;
}

namespace {

std::vector<TensorBlob> toBlobs(const std::map<std::string, torch::Tensor>& tensors)
{
    std::vector<TensorBlob> blobs;
    for (const auto& [name, tensor] : tensors) {
        auto t = tensor.detach().contiguous().cpu();
        if (t.is_floating_point() && t.scalar_type() != torch::kHalf && t.scalar_type() != torch::kBFloat16)
            t = t.to(torch::kFloat32);
        TensorBlob b;
        b.name = name;
        b.dtype = safeType(t.scalar_type());
        b.shape.assign(t.sizes().begin(), t.sizes().end());
        b.bytes.resize(static_cast<size_t>(t.nbytes()));
        std::memcpy(b.bytes.data(), t.data_ptr(), b.bytes.size());
        blobs.push_back(std::move(b));
    }
    return blobs;
}

} // namespace

void writeOpenAiSafeTensors(const std::string& path, const std::map<std::string, torch::Tensor>& tensors,
                            const ClipConfig& config, const std::map<std::string, std::string>& extraMetadata)
{
    auto metadata = extraMetadata;
    metadata["format"] = "pt";
    metadata["activation"] = config.activation == Activation::QuickGelu ? "quick_gelu" : "gelu";
    writeSafeTensors(path, toBlobs(tensors), metadata);
}

namespace {

// config.json and model.safetensors, each written atomically.
void writeHuggingFaceFiles(const std::string& folder, const std::map<std::string, torch::Tensor>& tensors,
                           const ClipConfig& c)
{
    const std::string act = c.activation == Activation::QuickGelu ? "quick_gelu" : "gelu";
    nlohmann::ordered_json config = {{"architectures", {"CLIPModel"}},
                                     {"model_type", "clip"},
                                     {"projection_dim", c.embedDim},
                                     {"logit_scale_init_value", 2.6592},
                                     {"text_config",
                                      {{"model_type", "clip_text_model"},
                                       {"hidden_size", c.textWidth},
                                       {"intermediate_size", 4 * c.textWidth},
                                       {"num_attention_heads", c.textHeads},
                                       {"num_hidden_layers", c.textLayers},
                                       {"max_position_embeddings", c.contextLength},
                                       {"vocab_size", c.vocabSize},
                                       {"hidden_act", act},
                                       {"layer_norm_eps", 1e-5},
                                       {"projection_dim", c.embedDim},
                                       {"bos_token_id", 49406},
                                       {"eos_token_id", 49407},
                                       {"pad_token_id", 1}}},
                                     {"vision_config",
                                      {{"model_type", "clip_vision_model"},
                                       {"hidden_size", c.visionWidth},
                                       {"intermediate_size", 4 * c.visionWidth},
                                       {"num_attention_heads", c.visionHeads},
                                       {"num_hidden_layers", c.visionLayers},
                                       {"image_size", c.imageResolution},
                                       {"patch_size", c.patchSize},
                                       {"hidden_act", act},
                                       {"layer_norm_eps", 1e-5},
                                       {"projection_dim", c.embedDim},
                                       {"num_channels", 3}}}};
    writeSafeTensors((fs::path(folder) / "model.safetensors").string(), toBlobs(openAiToHuggingFace(tensors, c)),
                     {{"format", "pt"}});
    const std::string configPath = (fs::path(folder) / "config.json").string();
    writeFileAtomically(configPath, config.dump(2) + "\n", "the model configuration");
}

} // namespace

void writeHuggingFaceFolder(const std::string& folder, const std::map<std::string, torch::Tensor>& tensors,
                            const ClipConfig& c)
{
    std::error_code ec;
    const bool created = !fs::exists(folder, ec);
    fs::create_directories(folder, ec);
    if (ec) throw Error(folder + ": cannot create the folder (" + ec.message() + ").");
    try {
        writeHuggingFaceFiles(folder, tensors, c);
    } catch (...) {
        if (created) fs::remove_all(folder, ec); // a failed export leaves no half-written folder
        throw;
    }
}

} // namespace ra
