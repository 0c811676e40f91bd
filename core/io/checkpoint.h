#pragma once
// Reading CLIP checkpoints in every supported layout into OpenAI-named fp32 tensors, and writing
// them back out. INTERNAL to core (includes torch).
//
// Layouts: OpenAI TorchScript archives (.pt, used only as weight containers), OpenAI/open_clip
// safetensors, Hugging Face CLIPModel folders (config.json + model.safetensors). Every failure
// throws ra::Error naming the file and the problem.
#include "clip/clipconfig.h"

#include <torch/types.h>

#include <map>
#include <string>

namespace ra {

enum class CheckpointLayout { OpenAiTorchScript, OpenAiSafeTensors, HuggingFaceFolder };
const char* layoutName(CheckpointLayout layout);

struct LoadedCheckpoint {
    ClipConfig config;
    CheckpointLayout layout = CheckpointLayout::OpenAiSafeTensors;
    std::map<std::string, torch::Tensor> tensors; // OpenAI names, float32, contiguous
    std::map<std::string, std::string> metadata;  // safetensors __metadata__, if any
};

// SHAPESONLY reads what describes the model and no weights where the layout allows: safetensors
// files and Hugging Face folders give meta tensors (shapes and dtypes, no data) from their
// headers; TorchScript archives are read whole either way.
LoadedCheckpoint readCheckpoint(const std::string& path, bool shapesOnly = false);

// openai/CLIP build_model's shape rules; heads default to width / 64.
ClipConfig inferConfig(const std::map<std::string, torch::Tensor>& tensors, const std::string& source);

// Hugging Face CLIPModel names -> OpenAI names (q/k/v concatenated, projections transposed).
std::map<std::string, torch::Tensor> huggingFaceToOpenAi(const std::map<std::string, torch::Tensor>& hf,
                                                         const std::string& source);
std::map<std::string, torch::Tensor> openAiToHuggingFace(const std::map<std::string, torch::Tensor>& openai,
                                                         const ClipConfig& config);

// Writers (atomic: temp file + rename). OpenAI/open_clip layout safetensors, or a Hugging Face
// folder with config.json and model.safetensors.
void writeOpenAiSafeTensors(const std::string& path, const std::map<std::string, torch::Tensor>& tensors,
                            const ClipConfig& config, const std::map<std::string, std::string>& extraMetadata = {});
void writeHuggingFaceFolder(const std::string& folder, const std::map<std::string, torch::Tensor>& tensors,
                            const ClipConfig& config);

// Raw tensors from any safetensors file, converted to float32 unless KEEPINTEGERS and integral.
std::map<std::string, torch::Tensor> readSafeTensorsAsTorch(const std::string& path,
                                                            std::map<std::string, std::string>* metadata = nullptr,
                                                            bool shapesOnly = false);

} // namespace ra
