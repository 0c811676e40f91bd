#include "platform/kernelcache.h"

#include "io/atomicfile.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace ra {

using nlohmann::json;

KernelCache::KernelCache(std::string path, std::string identity)
    : m_path(std::move(path)), m_identity(std::move(identity))
{
    m_entries = readFile();
    m_reused = !m_entries.empty();
}

std::map<std::string, KernelChoice> KernelCache::readFile() const
{
    std::map<std::string, KernelChoice> entries;
    if (m_path.empty()) return entries;
    std::ifstream in(m_path);
    if (!in) return entries;
    try {
        const json j = json::parse(in);
        if (j.value("format", "") != "radapter-kernels" || j.value("identity", "") != m_identity) return {};
        for (const auto& [key, value] : j.at("choices").items()) {
            KernelChoice c;
            c.kernel = value.at("kernel").get<std::string>();
            if (value.contains("ms"))
                for (const auto& [name, ms] : value.at("ms").items()) c.ms[name] = ms.get<double>();
            entries[key] = c;
        }
    } catch (const std::exception&) {
        return {}; // a damaged cache is measured again
    }
    return entries;
}

bool KernelCache::refresh()
{
    bool found = false;
    for (auto& [key, choice] : readFile()) found = m_entries.try_emplace(key, std::move(choice)).second || found;
    return found;
}

std::optional<KernelChoice> KernelCache::lookup(const std::string& key) const
{
    const auto it = m_entries.find(key);
    if (it == m_entries.end()) return std::nullopt;
    return it->second;
}

KernelChoice KernelCache::store(const std::string& key, const KernelChoice& choice, bool* written)
{
    if (written) *written = false;
    refresh(); // another program's choice for KEY, made while this one measured, wins
    const KernelChoice recorded = m_entries.try_emplace(key, choice).first->second;
    if (m_path.empty()) return recorded;
    json j = {{"format", "radapter-kernels"}, {"version", 1}, {"identity", m_identity}, {"choices", json::object()}};
    for (const auto& [k, c] : m_entries) j["choices"][k] = {{"kernel", c.kernel}, {"ms", c.ms}};
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(m_path).parent_path(), ec);
    // AtomicFile's temporary is unique per process, so two programs calibrating at once never
    // write into one file, and both files are whole. Only two renames within the moment between
    // one program's refresh and its rename can still lose an entry, which costs a calibration.
    try {
        writeFileAtomically(m_path, j.dump(1) + "\n", "the kernel cache");
        if (written) *written = true;
    } catch (const Error&) {
        // A cache that cannot be written only costs a calibration next time.
    }
    return recorded;
}

std::string defaultKernelCachePath()
{
    if (const char* p = std::getenv("RADAPTER_KERNEL_CACHE")) return p;
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/radapter-studio/kernels.json";
    if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/radapter-studio/kernels.json";
    return {};
}

} // namespace ra
