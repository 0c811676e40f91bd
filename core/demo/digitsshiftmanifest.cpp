// What the demo world's layout is, apart from the code that draws it (which needs OpenCV): the
// OOD suite's names and the manifest check, so a build without OpenCV can use a prepared folder.
#include "demo/digitsshift.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace ra {
namespace {

constexpr int kFormatVersion = 5; // bump when the prepared files change

} // namespace

const std::vector<std::string>& oodSuiteSets()
{
    static const std::vector<std::string> names = {"uci-8x8", "printed-unseen", "outline-sketch", "pose-framing",
                                                   "clutter-colour"};
    return names;
}

std::string digitsShiftOptionsKey(const DemoDataOptions& options)
{
    return std::to_string(kFormatVersion) + "|" + std::to_string(options.seed);
}

std::optional<std::vector<PreparedSplit>> preparedDigitsShift(const std::string& outDir, const DemoDataOptions& options)
{
    const fs::path root(outDir);
    const fs::path manifestPath = root / "manifest.json";
    if (!fs::exists(manifestPath)) return std::nullopt;
    try {
        std::ifstream in(manifestPath);
        const auto m = nlohmann::json::parse(in);
        if (m.value("options", std::string()) != digitsShiftOptionsKey(options)) return std::nullopt;
        std::vector<PreparedSplit> splits;
        for (auto it = m["counts"].begin(); it != m["counts"].end(); ++it)
            splits.push_back({it.key(), (root / it.key()).string(), it.value().get<int>()});
        return splits;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

} // namespace ra
