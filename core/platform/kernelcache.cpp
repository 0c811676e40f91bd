#include "platform/kernelcache.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace ra {

using nlohmann::json;

KernelCache::KernelCache(std::string path, std::string identity) : m_path(std::move(path)), m_identity(std::move(identity))
{
    if (m_path.empty()) return;
    std::ifstream in(m_path);
    if (!in) return;
    try {
        const json j = json::parse(in);
        if (j.value("format", "") != "radapter-kernels" || j.value("identity", "") != m_identity) return;
        for (const auto& [key, value] : j.at("choices").items()) {
            KernelChoice c;
            c.kernel = value.at("kernel").get<std::string>();
            if (value.contains("ms"))
                for (const auto& [name, ms] : value.at("ms").items()) c.ms[name] = ms.get<double>();
            m_entries[key] = c;
        }
        m_reused = !m_entries.empty();
    } catch (const std::exception&) {
        m_entries.clear(); // a damaged cache is measured again
    }
}

std::optional<KernelChoice> KernelCache::lookup(const std::string& key) const
{
    const auto it = m_entries.find(key);
    if (it == m_entries.end()) return std::nullopt;
    return it->second;
}

bool KernelCache::store(const std::string& key, const KernelChoice& choice)
{
    m_entries[key] = choice;
    if (m_path.empty()) return false;
    json j = {{"format", "radapter-kernels"}, {"version", 1}, {"identity", m_identity}, {"choices", json::object()}};
    for (const auto& [k, c] : m_entries) j["choices"][k] = {{"kernel", c.kernel}, {"ms", c.ms}};
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(m_path).parent_path(), ec);
    // The temporary's name is unique per process, so two programs calibrating at once never
    // write into one file; the last rename wins, and both files are whole.
    const std::string tmp = m_path + ".tmp" + std::to_string(getpid());
    {
        std::ofstream out(tmp, std::ios::trunc);
        if (!out) return false;
        out << j.dump(1) << "\n";
        if (!out.flush()) {
            std::remove(tmp.c_str());
            return false;
        }
    }
    std::filesystem::rename(tmp, m_path, ec);
    if (ec) std::remove(tmp.c_str());
    return !ec;
}

std::string defaultKernelCachePath()
{
    if (const char* p = std::getenv("RADAPTER_KERNEL_CACHE")) return p;
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/radapter-studio/kernels.json";
    if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/radapter-studio/kernels.json";
    return {};
}

} // namespace ra
