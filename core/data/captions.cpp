#include "data/captions.h"

#include "data/csvfields.h"
#include "io/inputfile.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>

namespace fs = std::filesystem;

namespace ra {
namespace {

std::string resolve(const fs::path& base, const std::string& p)
{
    fs::path path(p);
    if (path.is_relative()) path = base / path;
    return path.lexically_normal().string();
}

CaptionDataset loadCoco(const std::string& file)
{
    std::ifstream in = openInputFile(file, "caption file");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
    } catch (const std::exception&) {
        throw Error(file + ": not valid JSON.");
    }
    if (!j.is_object() || !j.contains("images") || !j.contains("annotations") || !j["images"].is_array() ||
        !j["annotations"].is_array())
        throw Error(file + ": not a COCO-style caption file (needs \"images\" and \"annotations\" lists).");
    CaptionDataset ds;
    ds.source = file;
    fs::path base = fs::path(file).parent_path();
    if (j.contains("image_root") && j["image_root"].is_string())
        base = resolve(base, j["image_root"].get<std::string>());
    std::map<int64_t, int> byId;
    try {
        for (const auto& im : j["images"]) {
            const int64_t id = im.at("id").get<int64_t>();
            if (byId.count(id)) throw Error(file + ": image id " + std::to_string(id) + " appears twice.");
            byId[id] = int(ds.images.size());
            ds.images.push_back(resolve(base, im.at("file_name").get<std::string>()));
        }
        for (const auto& a : j["annotations"]) {
            const int64_t id = a.at("image_id").get<int64_t>();
            auto it = byId.find(id);
            if (it == byId.end())
                throw Error(file + ": a caption refers to the unknown image id " + std::to_string(id) + ".");
            ds.captionImage.push_back(it->second);
            ds.captions.push_back(a.at("caption").get<std::string>());
        }
    } catch (const nlohmann::json::exception&) {
        throw Error(file + ": an image or annotation lacks id, file_name, image_id or caption.");
    }
    return ds;
}

CaptionDataset loadCsv(const std::string& file)
{
    std::ifstream in = openInputFile(file, "caption file");
    CaptionDataset ds;
    ds.source = file;
    const fs::path base = fs::path(file).parent_path();
    std::map<std::string, int> byPath;
    std::string line;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        // path,caption: either field may be quoted as Python's csv module writes it ("" is one
        // quote); an unquoted caption is everything after the first comma, commas included.
        std::string path, caption;
        if (!splitFirstCsvField(line, path, caption) || path.empty())
            throw Error(file + ": line " + std::to_string(lineNo) + " is not 'path,caption'.");
        if (lineNo == 1 && path == "path") continue;
        const std::string abs = resolve(base, path);
        auto it = byPath.find(abs);
        if (it == byPath.end()) {
            it = byPath.emplace(abs, int(ds.images.size())).first;
            ds.images.push_back(abs);
        }
        ds.captionImage.push_back(it->second);
        ds.captions.push_back(caption);
    }
    return ds;
}

} // namespace

CaptionDataset loadCaptionDataset(const std::string& path)
{
    std::error_code ec;
    if (!fs::exists(path, ec)) throw Error(path + ": no such file.");
    const std::string ext = fs::path(path).extension().string();
    CaptionDataset ds = ext == ".json" ? loadCoco(path)
        : ext == ".csv"                ? loadCsv(path)
                        : throw Error(path + ": a caption set must be a COCO-style .json or a path,caption .csv file.");
    if (ds.captions.empty()) throw Error(path + ": the caption set has no captions.");
    for (const auto& im : ds.images)
        if (!fs::exists(im, ec)) throw Error(path + ": the image '" + im + "' does not exist.");
    return ds;
}

} // namespace ra
