#include "data/dataset.h"

#include "data/csvfields.h"
#include "io/inputfile.h"
#include "util/error.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace fs = std::filesystem;

namespace ra {
namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool isInteger(const std::string& s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); }) &&
        s.size() < 9;
}

// What E is, links followed. A link that cannot be followed is named as the problem, not the folder
// (a loop), and an image-named link to nothing is a missing image, never silently one fewer.
fs::file_type followedType(const fs::directory_entry& e)
{
    std::error_code ec;
    // Not a link: the type the folder listing gave, without a stat per file (an ImageNet folder
    // has 1.28 million).
    if (!e.is_symlink(ec) && !ec) {
        if (e.is_directory(ec)) return fs::file_type::directory;
        if (e.is_regular_file(ec)) return fs::file_type::regular;
        if (!ec) return fs::file_type::unknown;
    }
    const fs::file_status status = e.status(ec);
    if (status.type() == fs::file_type::not_found)
        throw Error(e.path().string() + ": a link to a file that does not exist.");
    if (ec) throw Error(e.path().string() + ": " + ec.message() + ".");
    return status.type();
}

ImageDataset loadFolder(const fs::path& root)
{
    ImageDataset ds;
    ds.source = root.string();
    std::vector<fs::path> classDirs;
    for (const auto& e : fs::directory_iterator(root))
        if (followedType(e) == fs::file_type::directory) classDirs.push_back(e.path());
    std::sort(classDirs.begin(), classDirs.end());
    if (classDirs.empty())
        throw Error(root.string() + ": no class sub-folders (an image folder needs one sub-folder per class).");
    for (const auto& dir : classDirs) {
        std::string name = dir.filename().string();
        std::replace(name.begin(), name.end(), '_', ' ');
        const int label = static_cast<int>(ds.classNames.size());
        ds.classNames.push_back(name);
        std::vector<std::string> files;
        for (const auto& e : fs::directory_iterator(dir))
            if (isImageFileName(e.path().filename().string()) && followedType(e) == fs::file_type::regular)
                files.push_back(e.path().string());
        std::sort(files.begin(), files.end());
        for (auto& f : files) ds.samples.push_back({std::move(f), label});
    }
    if (ds.samples.empty()) throw Error(root.string() + ": the class folders contain no images.");
    return ds;
}

ImageDataset loadCsv(const fs::path& file)
{
    std::ifstream in = openInputFile(file.string(), "CSV file");
    ImageDataset ds;
    ds.source = file.string();
    const fs::path base = file.parent_path();
    std::vector<std::pair<std::string, std::string>> rows;
    std::string line;
    std::vector<std::string> fields;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (trimBlanks(line).empty()) continue;
        if (!splitCsv(line, fields) || fields.size() < 2)
            throw Error(file.string() + ": line " + std::to_string(lineNo) + " is not 'path,label'.");
        // A third field is most often a label with an unquoted comma ("New York, NY"): cutting it
        // off would merge classes in silence.
        if (fields.size() > 2)
            throw Error(file.string() + ": line " + std::to_string(lineNo) + " has " + std::to_string(fields.size()) +
                        " fields, not 'path,label' (put a label that contains a comma in double quotes).");
        if (lineNo == 1 && lower(fields[0]) == "path") continue; // header
        if (fields[0].empty()) throw Error(file.string() + ": line " + std::to_string(lineNo) + " has an empty path.");
        rows.emplace_back(fields[0], fields[1]);
    }
    if (rows.empty()) throw Error(file.string() + ": the CSV file lists no images.");
    const bool numeric = std::all_of(rows.begin(), rows.end(), [](const auto& r) { return isInteger(r.second); });
    std::map<std::string, int> ids;
    if (numeric) {
        int maxLabel = 0;
        for (const auto& r : rows) maxLabel = std::max(maxLabel, std::stoi(r.second));
        for (int i = 0; i <= maxLabel; ++i) ds.classNames.push_back("class " + std::to_string(i));
    } else {
        std::set<std::string> names;
        for (const auto& r : rows) names.insert(r.second);
        for (const auto& n : names) {
            ids[n] = static_cast<int>(ds.classNames.size());
            ds.classNames.push_back(n);
        }
    }
    for (const auto& [p, label] : rows) {
        fs::path path(p);
        if (path.is_relative()) path = base / path;
        ds.samples.push_back({path.lexically_normal().string(), numeric ? std::stoi(label) : ids[label]});
    }
    return ds;
}

} // namespace

std::vector<int> ImageDataset::classCounts() const
{
    std::vector<int> counts(classNames.size(), 0);
    for (const auto& s : samples)
        if (s.label >= 0 && s.label < static_cast<int>(counts.size())) ++counts[static_cast<size_t>(s.label)];
    return counts;
}

bool isImageFileName(const std::string& name)
{
    static const std::set<std::string> exts = {".png", ".jpg",  ".jpeg", ".bmp", ".webp",
                                               ".tif", ".tiff", ".ppm",  ".pgm", ".pbm"};
    return exts.count(lower(fs::path(name).extension().string())) != 0;
}

ImageDataset loadImageDataset(const std::string& path)
{
    std::error_code ec;
    if (!fs::exists(path, ec)) throw Error(path + ": no such file or folder.");
    try {
        if (fs::is_directory(path, ec)) return loadFolder(path);
        if (lower(fs::path(path).extension().string()) == ".csv") return loadCsv(path);
    } catch (const fs::filesystem_error& e) {
        throw Error(path + ": " + e.code().message() + ".");
    }
    throw Error(path + ": not a dataset (expected a folder with one sub-folder per class, or a .csv file).");
}

void applyClassNamesFile(ImageDataset& dataset, const std::string& file)
{
    std::ifstream in = openInputFile(file, "class names file");
    std::vector<std::string> names;
    std::string line;
    while (std::getline(in, line)) {
        line = trimBlanks(line);
        if (!line.empty()) names.push_back(line);
    }
    if (names.size() != dataset.classNames.size())
        throw Error(file + ": lists " + std::to_string(names.size()) + " class names but the dataset has " +
                    std::to_string(dataset.classNames.size()) + " classes.");
    dataset.classNames = names;
}

} // namespace ra
