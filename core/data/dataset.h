#pragma once
// Labelled image datasets: an image folder (one sub-folder per class) or a CSV of path,label.
// Paths inside a CSV are relative to the CSV file. Torch-free value types.
#include <string>
#include <vector>

namespace ra {

struct ImageSample {
    std::string path;
    int label = -1;
};

struct ImageDataset {
    std::string source;                  // the folder or CSV it was read from
    std::vector<std::string> classNames; // index = label
    std::vector<ImageSample> samples;
    std::vector<int> classCounts() const;
};

// Reads a folder or a .csv file. Throws ra::Error naming the file and the problem (missing path,
// no classes, no images, malformed CSV line, missing image file).
ImageDataset loadImageDataset(const std::string& path);
// Replaces the class names with the lines of FILE (one per class, in label order).
void applyClassNamesFile(ImageDataset& dataset, const std::string& file);
bool isImageFileName(const std::string& name);

} // namespace ra
