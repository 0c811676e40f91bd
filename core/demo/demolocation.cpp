#include "demo/demolocation.h"

#include "io/atomicfile.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace ra {

std::string demoDataDir(const std::string& projectPath)
{
    return (fs::path(projectPath).parent_path() / "data").string();
}

std::string locateDemoProject(const std::string& sourceTree, const std::string& executableDir)
{
    if (const char* env = std::getenv("RADAPTER_DEMO_PROJECT"); env && *env) return env;
    std::error_code ec;
    const fs::path tree = fs::path(sourceTree) / "projects" / "digits-shift" / "digits-shift.json";
    if (fs::exists(tree, ec)) return tree.string();
    const fs::path installed = fs::path(executableDir) / ".." / "share" / "radapter-studio" / "projects" /
        "digits-shift" / "digits-shift.json";
    if (!fs::exists(installed, ec))
        throw Error(installed.lexically_normal().string() + ": the demo project is not installed.");
    std::string base;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) base = xdg;
    else base = std::string(std::getenv("HOME") ? std::getenv("HOME") : ".") + "/.local/share";
    const fs::path userDir = fs::path(base) / "radapter-studio" / "digits-shift";
    const fs::path userProject = userDir / "digits-shift.json";
    if (fs::exists(userProject, ec)) return userProject.string();
    fs::create_directories(userDir, ec);
    if (ec) throw Error(userDir.string() + ": cannot create the folder for the demo (" + ec.message() + ").");
    nlohmann::json j;
    try {
        std::ifstream in(installed);
        j = nlohmann::json::parse(in);
        j["model"] = (installed.parent_path() / j.at("model").get<std::string>()).lexically_normal().string();
    } catch (const std::exception&) {
        throw Error(installed.string() + ": the installed demo project is damaged.");
    }
    // Atomically: a half-written copy (a full disk) would be found next time and fail for good.
    writeFileAtomically(userProject.string(), j.dump(2) + "\n", "the demo project");
    return userProject.string();
}

} // namespace ra
