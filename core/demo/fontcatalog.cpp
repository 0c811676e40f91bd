#include "demo/fontcatalog.h"

#include "util/error.h"

#include <algorithm>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace ra {

bool FontCatalog::isHeldOutFamily(const std::string& f)
{
    static const std::set<std::string> heldOut = {"Cantarell",    "Caladea",   "URWBookman", "NotoMono",
                                                  "NotoSansMono", "ComicNeue", "Z003"};
    return heldOut.count(f) != 0;
}

FontCatalog FontCatalog::scan(const std::string& root)
{
    static const std::set<std::string> symbolFamilies = {"StandardSymbolsPS", "D050000L", "DejaVuMathTeXGyre",
                                                         "OpenSymbol"};
    std::vector<std::string> files;
    std::error_code ec;
    if (fs::exists(root, ec))
        for (auto it = fs::recursive_directory_iterator(root, ec); it != fs::recursive_directory_iterator();
             it.increment(ec)) {
            if (ec) break;
            const std::string ext = it->path().extension().string();
            if (it->is_regular_file() && (ext == ".ttf" || ext == ".otf")) files.push_back(it->path().string());
        }
    std::sort(files.begin(), files.end());
    FontCatalog c;
    std::set<std::string> seenNames;
    for (const auto& file : files) {
        const std::string name = fs::path(file).filename().string();
        // The same face is sometimes installed twice (e.g. .otf in two folders): keep the first.
        if (!seenNames.insert(fs::path(file).stem().string()).second) continue;
        const std::string family = name.substr(0, name.find_first_of("-_."));
        if (symbolFamilies.count(family)) continue;
        (isHeldOutFamily(family) ? c.heldOut : c.training).push_back({family, file});
    }
    if (c.training.empty() || c.heldOut.empty())
        throw Error(root + ": the demo's fonts are missing; install them with scripts/install-deps.sh.");
    return c;
}

} // namespace ra
