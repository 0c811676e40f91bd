#include "platform/usablecores.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sched.h>
#include <sstream>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace ra {
namespace {

std::string firstLine(const fs::path& file)
{
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return line;
}

// "max 100000" (no limit) or "QUOTA PERIOD", in microseconds.
double v2Limit(const fs::path& cpuMax)
{
    std::istringstream in(firstLine(cpuMax));
    std::string quota;
    double period = 0;
    if (!(in >> quota >> period) || quota == "max" || period <= 0) return 0;
    try {
        const double q = std::stod(quota);
        return q > 0 ? q / period : 0;
    } catch (const std::exception&) {
        return 0;
    }
}

// cpu.cfs_quota_us is -1 without a limit.
double v1Limit(const fs::path& dir)
{
    try {
        const double quota = std::stod(firstLine(dir / "cpu.cfs_quota_us"));
        const double period = std::stod(firstLine(dir / "cpu.cfs_period_us"));
        return quota > 0 && period > 0 ? quota / period : 0;
    } catch (const std::exception&) {
        return 0;
    }
}

double tightest(double a, double b) { return a <= 0 ? b : b <= 0 ? a : std::min(a, b); }

// The group's directory and its ancestors up to the mount, innermost first. Inside a container
// the group's path is often not visible (the namespace's root is the group itself), so the mount
// root is always among them.
std::vector<fs::path> groupAndAncestors(const fs::path& mount, const std::string& groupPath)
{
    std::vector<fs::path> dirs;
    fs::path p = fs::path(groupPath).relative_path();
    for (; !p.empty(); p = p.parent_path()) dirs.push_back(mount / p);
    dirs.push_back(mount);
    return dirs;
}

} // namespace

double cgroupCpuQuota(const std::string& cgroupRoot, const std::string& procSelfCgroup)
{
    const fs::path root(cgroupRoot);
    double quota = 0;
    std::istringstream lines(procSelfCgroup);
    std::string line;
    while (std::getline(lines, line)) {
        // "HIERARCHY:CONTROLLERS:PATH"; v2's single hierarchy is "0::PATH".
        const auto a = line.find(':'), b = line.find(':', a == std::string::npos ? a : a + 1);
        if (a == std::string::npos || b == std::string::npos) continue;
        const std::string controllers = line.substr(a + 1, b - a - 1), path = line.substr(b + 1);
        std::error_code ec;
        if (controllers.empty()) {
            // v2: unified at the root, or under "unified" on a hybrid v1/v2 machine.
            for (const fs::path mount : {root, root / "unified"})
                for (const auto& dir : groupAndAncestors(mount, path))
                    if (fs::exists(dir / "cpu.max", ec)) quota = tightest(quota, v2Limit(dir / "cpu.max"));
            continue;
        }
        std::istringstream names(controllers);
        for (std::string name; std::getline(names, name, ',');)
            if (name == "cpu") {
                // v1 mounts the cpu controller as "cpu", "cpu,cpuacct" or both.
                for (const fs::path mount : {root / "cpu", root / "cpu,cpuacct", root / "cpuacct,cpu"})
                    for (const auto& dir : groupAndAncestors(mount, path))
                        if (fs::exists(dir / "cpu.cfs_quota_us", ec)) quota = tightest(quota, v1Limit(dir));
            }
    }
    return quota;
}

CoreLimits coreLimits()
{
    CoreLimits l;
    cpu_set_t set;
    CPU_ZERO(&set);
    // More CPUs than a cpu_set_t holds (1,024) make the call fail: then the machine's count.
    l.affinity = sched_getaffinity(0, sizeof set, &set) == 0
        ? std::max(1, CPU_COUNT(&set))
        : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::ifstream self("/proc/self/cgroup");
    std::stringstream text;
    text << self.rdbuf();
    l.quota = cgroupCpuQuota("/sys/fs/cgroup", text.str());
    l.usable = l.affinity;
    if (l.quota > 0) l.usable = std::min(l.usable, static_cast<int>(std::ceil(l.quota - 1e-9)));
    l.usable = std::max(1, l.usable);
    return l;
}

int usableCores() { return coreLimits().usable; }

} // namespace ra
