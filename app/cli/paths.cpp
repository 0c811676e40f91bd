#include "cli/commands.h"

#include "cli/arguments.h"
#include "cli/engine.h"
#include "demo/demolocation.h"
#include "store/runstore.h"
#include "config/trainconfig.h"

#include <filesystem>
#include <unistd.h>

namespace ra::cli {

std::string programDirectory()
{
    char buf[4096];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    return n > 0 ? std::filesystem::path(std::string(buf, size_t(n))).parent_path().string() : std::string(".");
}

std::string demoProjectPath() { return locateDemoProject(RA_SOURCE_TREE, programDirectory()); }

std::string defaultDemoDataDir() { return demoDataDir(demoProjectPath()); }

namespace {
std::string g_databaseOption;
int g_threadsOption = -1;
} // namespace

void setThreadsOption(int threads) { g_threadsOption = threads; }

int threadsFor(const TrainConfig& config) { return g_threadsOption >= 0 ? g_threadsOption : config.threads; }

std::string threadsSource(const TrainConfig& config)
{
    return g_threadsOption >= 0 ? "--threads"
        : config.threads > 0    ? "the project's threads setting"
                                : "default: all cores";
}

void setDatabaseOption(const std::string& path)
{
    if (path.empty()) throw UsageError("--db needs the path of a run store, got ''.");
    g_databaseOption = path;
}

std::string databasePath(const Arguments& args)
{
    if (args.has("db")) {
        if (args.value("db").empty()) throw UsageError("--db needs the path of a run store, got ''.");
        return args.value("db");
    }
    return g_databaseOption.empty() ? RunStore::defaultPath() : g_databaseOption;
}

} // namespace ra::cli
