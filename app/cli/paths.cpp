#include "cli/commands.h"

#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;

namespace ra::cli {

std::string defaultDemoDataDir()
{
    if (const char* env = std::getenv("RADAPTER_DEMO_DATA"); env && *env) return env;
    // A build from a checkout keeps the data beside the demo project.
    const fs::path tree = fs::path(RA_SOURCE_TREE) / "projects" / "digits-shift";
    std::error_code ec;
    if (fs::exists(tree, ec)) return (tree / "data").string();
    const char* home = std::getenv("HOME");
    return std::string(home ? home : ".") + "/.local/share/radapter-studio/digits-shift";
}

} // namespace ra::cli
