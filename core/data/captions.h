#pragma once
// Image-caption datasets for retrieval: COCO-style caption JSON ({"images": [{"id", "file_name"}],
// "annotations": [{"image_id", "caption"}]}, image paths relative to the JSON's folder or to an
// "image_root" field) or a CSV of path,caption (one row per caption). Torch-free.
#include <string>
#include <vector>

namespace ra {

struct CaptionDataset {
    std::string source;
    std::vector<std::string> images; // absolute paths
    std::vector<int> captionImage;   // caption -> index into images
    std::vector<std::string> captions;
};

// Throws ra::Error naming the file and the problem.
CaptionDataset loadCaptionDataset(const std::string& path);

} // namespace ra
