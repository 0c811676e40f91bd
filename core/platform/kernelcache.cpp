#include "platform/kernelcache.h"

#include "io/atomicfile.h"
#include "io/filelock.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace ra {

using nlohmann::json;

KernelCache::KernelCache(std::string path, std::string identity)
    : m_path(std::move(path)), m_identity(std::move(identity))
{
    // RADAPTER_KERNEL_CACHE=/dev/null (or any device, pipe or folder) keeps no cache: the choices
    // live in memory. A pipe was read until a writer came (never), and /dev/null.lock was made.
    std::error_code ec;
    const auto status = std::filesystem::status(m_path, ec);
    if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) m_path.clear();
    m_entries = readFile();
    m_reused = !m_entries.empty();
}

namespace {
using Choices = std::map<std::string, KernelChoice>;

Choices choicesFrom(const json& choices)
{
    Choices entries;
    for (const auto& [key, value] : choices.items()) {
        KernelChoice c;
        c.kernel = value.at("kernel").get<std::string>();
        if (value.contains("ms"))
            for (const auto& [name, ms] : value.at("ms").items()) c.ms[name] = ms.get<double>();
        entries[key] = c;
    }
    return entries;
}

// Every machine identity's choices in the file at PATH (none when it is missing or damaged).
// Version 1 held one identity ("identity", "choices"); version 2 holds each apart ("machines").
std::map<std::string, Choices> readMachines(const std::string& path)
{
    std::map<std::string, Choices> machines;
    if (path.empty()) return machines;
    std::ifstream in(path);
    if (!in) return machines;
    try {
        const json j = json::parse(in);
        if (j.value("format", "") != "radapter-kernels") return {};
        if (j.contains("machines")) {
            for (const auto& [identity, machine] : j.at("machines").items())
                machines[identity] = choicesFrom(machine.at("choices"));
        } else if (j.contains("identity")) {
            machines[j.at("identity").get<std::string>()] = choicesFrom(j.at("choices"));
        }
    } catch (const std::exception&) {
        return {}; // a damaged cache is measured again
    }
    return machines;
}
} // namespace

std::map<std::string, KernelChoice> KernelCache::readFile() const
{
    auto machines = readMachines(m_path);
    const auto it = machines.find(m_identity);
    return it == machines.end() ? Choices{} : std::move(it->second);
}

bool KernelCache::refresh() { return adopt(readFile()); }

bool KernelCache::adopt(const std::map<std::string, KernelChoice>& fileEntries)
{
    bool found = false;
    for (const auto& [key, choice] : fileEntries) found = m_entries.try_emplace(key, choice).second || found;
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
    if (m_path.empty()) return m_entries.try_emplace(key, choice).first->second;
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(m_path).parent_path(), ec);
    // Reading the file, merging and renaming the new one over it under one lock: without it, two
    // programs that both read before either renamed lost the first one's entry, and a third
    // program measured that shape again and could choose another kernel than the first had used
    // (a run's numbers then changed in the last bits from one program start to the next; seen
    // with the test programs calibrating side by side). Where the lock file cannot be made that
    // race remains, which costs a calibration and perhaps another choice.
    const FileLock lock(m_path + ".lock");
    auto machines = readMachines(m_path); // read once: it refreshes this instance and is rewritten
    auto& mine = machines[m_identity];
    adopt(mine); // another program's choice for KEY, made while this one measured, wins
    const KernelChoice recorded = m_entries.try_emplace(key, choice).first->second;
    // The file keeps what it holds: another identity's choices (the same machine under
    // RADAPTER_CPU_ISA, another libtorch), which replacing the file would make its programs
    // measure again and perhaps choose otherwise, and, for a key this instance read before
    // another program replaced it, the file's choice, the one every program starting now takes.
    for (const auto& [k, c] : m_entries) mine.try_emplace(k, c);
    json j = {{"format", "radapter-kernels"}, {"version", 2}, {"machines", json::object()}};
    for (const auto& [identity, choices] : machines) {
        json& out = j["machines"][identity]["choices"] = json::object();
        for (const auto& [k, c] : choices) out[k] = {{"kernel", c.kernel}, {"ms", c.ms}};
    }
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
