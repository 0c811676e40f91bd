#include "store/runtrash.h"

#include "io/atomicfile.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace ra {
namespace fs = std::filesystem;

namespace {

constexpr const char* kPrefix = "deleted-";
constexpr const char* kSuffix = ".json";

bool isDeletionFile(const fs::path& p)
{
    const std::string name = p.filename().string();
    return name.rfind(kPrefix, 0) == 0 && name.size() > std::string(kSuffix).size() &&
        name.compare(name.size() - std::string(kSuffix).size(), std::string::npos, kSuffix) == 0;
}

std::vector<fs::path> deletionFiles(const RunStore& store)
{
    std::vector<fs::path> files;
    std::error_code ec;
    for (fs::directory_iterator it(trashFolder(store), ec), end; !ec && it != end; it.increment(ec))
        if (isDeletionFile(it->path())) files.push_back(it->path());
    // The names begin with the UTC time, fixed width: newest first is the names' reverse order.
    std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) { return a > b; });
    return files;
}

TrashedDeletion describe(const fs::path& path)
{
    TrashedDeletion d;
    d.path = path.string();
    std::error_code ec;
    d.bytes = fs::file_size(path, ec);
    if (ec) d.bytes = 0;
    // deleted-YYYYMMDDTHHMMSSZ-...: the time it was deleted.
    const std::string stamp = path.filename().string().substr(std::string(kPrefix).size(), 16);
    if (stamp.size() == 16)
        d.deletedAt = stamp.substr(0, 4) + "-" + stamp.substr(4, 2) + "-" + stamp.substr(6, 2) + "T" +
            stamp.substr(9, 2) + ":" + stamp.substr(11, 2) + ":" + stamp.substr(13, 2) + "Z";
    try {
        std::ifstream in(path, std::ios::binary);
        for (const auto& r : nlohmann::json::parse(in))
            d.runs.push_back(
                {r.value("id", int64_t(0)), r.value("method", std::string()), r.value("name", std::string())});
    } catch (const std::exception&) {
        d.runs.clear(); // listed, with no runs: restoring it says what is wrong with it
    }
    return d;
}

} // namespace

std::string trashFolder(const RunStore& store) { return (fs::path(store.runsFolder()) / "trash").string(); }

TrashedDeletion deleteRunsToTrash(RunStore& store, const std::vector<int64_t>& ids, bool withFiles)
{
    for (int64_t id : ids) store.requireNotTraining(store.run(id), "stop it before deleting it"); // before any goes
    const std::string text = store.exportJson(ids);
    const fs::path folder(trashFolder(store));
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec)
        throw Error(folder.string() + ": cannot create the trash folder (" + ec.message() + "); nothing was deleted.");
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", std::gmtime(&now));
    fs::path path;
    for (int n = 1;; ++n) { // one process's deletions within a second, each its own file
        char count[16];     // fixed width, so that the names sort in the order they were made
        std::snprintf(count, sizeof count, "%04d", n);
        path = folder / (kPrefix + std::string(stamp) + "-" + std::to_string(getpid()) + "-" + count + kSuffix);
        if (!fs::exists(path, ec)) break;
    }
    try {
        writeFileAtomically(path.string(), text, "the trash");
    } catch (const Error& e) {
        throw Error(std::string(e.what()) + " Nothing was deleted.");
    }
    for (int64_t id : ids) store.deleteRun(id, withFiles);
    return describe(path);
}

std::vector<TrashedDeletion> trashedDeletions(const RunStore& store, size_t most)
{
    std::vector<TrashedDeletion> out;
    for (const fs::path& p : deletionFiles(store)) {
        if (out.size() == most) break;
        out.push_back(describe(p));
    }
    return out;
}

size_t trashedDeletionCount(const RunStore& store) { return deletionFiles(store).size(); }

std::vector<int64_t> restoreDeletion(RunStore& store, const TrashedDeletion& deletion)
{
    const std::vector<int64_t> ids = store.importRunFile(deletion.path, /*restore=*/true);
    // Restored (one transaction): the file goes. Were it kept, a second restore would leave the
    // runs out (they are there) and the trash would list them as still deleted.
    std::error_code ec;
    fs::remove(deletion.path, ec);
    return ids;
}

uintmax_t emptyTrash(const RunStore& store)
{
    uintmax_t bytes = 0;
    for (const fs::path& p : deletionFiles(store)) {
        std::error_code ec;
        const uintmax_t size = fs::file_size(p, ec);
        if (fs::remove(p, ec)) bytes += ec ? 0 : size;
    }
    return bytes;
}

} // namespace ra
