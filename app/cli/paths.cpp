#include "cli/commands.h"

#include "demo/demolocation.h"

#include <filesystem>
#include <unistd.h>

namespace ra::cli {

std::string demoProjectPath()
{
    char buf[4096];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    const std::string exe = n > 0 ? std::string(buf, size_t(n)) : std::string(".");
    return locateDemoProject(RA_SOURCE_TREE, std::filesystem::path(exe).parent_path().string());
}

std::string defaultDemoDataDir() { return demoDataDir(demoProjectPath()); }

} // namespace ra::cli
