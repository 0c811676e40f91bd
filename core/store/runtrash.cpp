#include "store/runtrash.h"

#include "io/atomicfile.h"
#include "io/diskusage.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
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
// Beside deleted-....json, the deletion's run folders (their checkpoints) when it took them.
constexpr const char* kFilesSuffix = ".files";

bool isDeletionFile(const fs::path& p)
{
    const std::string name = p.filename().string();
    return name.rfind(kPrefix, 0) == 0 && name.size() > std::string(kSuffix).size() &&
        name.compare(name.size() - std::string(kSuffix).size(), std::string::npos, kSuffix) == 0;
}

fs::path filesFolderOf(const fs::path& deletionFile) { return fs::path(deletionFile).replace_extension(kFilesSuffix); }

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
    const fs::path files = filesFolderOf(path);
    std::error_code ec;
    if (fs::is_directory(files, ec)) {
        d.filesFolder = files.string();
        d.filesBytes = bytesOnDisk(files);
    }
    d.bytes = bytesOnDisk(path) + d.filesBytes;
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

// Brings the run folders a deletion took back beside the store's other run folders, for the
// restored runs IDS: each to the name it had, or, where a run made since has that name (SQLite
// gave it the deleted run's id, and its folder is named by the id), to a new folder of the run's
// own, its state path moved with it. A folder no restored run names stays in the trash.
void bringFilesBack(RunStore& store, const fs::path& filesFolder, const std::vector<int64_t>& ids)
{
    std::error_code ec;
    const fs::path runs = fs::weakly_canonical(store.runsFolder(), ec);
    for (int64_t id : ids) {
        const RunRecord r = store.run(id);
        if (r.statePath.empty()) continue;
        const fs::path state(r.statePath);
        const fs::path folder = fs::weakly_canonical(state.parent_path(), ec);
        if (ec || folder.parent_path() != runs) continue; // not a folder of this store's: never taken
        const fs::path kept = filesFolder / folder.filename();
        if (!fs::is_directory(kept, ec)) continue;
        fs::path target = folder;
        if (fs::exists(target, ec)) target = store.createRunDirectory(id); // empty: a folder renames onto it
        fs::rename(kept, target, ec);
        if (ec)
            throw Error(kept.string() + ": run " + std::to_string(id) + " is restored, but its files could not " +
                        "be moved back to " + target.string() + " (" + ec.message() + ").");
        if (target != folder) store.setStatePath(id, (target / state.filename()).string());
    }
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
    // deleted-YYYYMMDDTHHMMSSZ-NNNNNNNNN-PID-COUNT.json: the second, then the nanosecond within it,
    // so that two deletions within one second by different processes sort by time (their pids do
    // not: the system reuses them, and after a wrap a later process has the smaller one).
    const auto clock = std::chrono::system_clock::now();
    const std::time_t now = std::chrono::system_clock::to_time_t(clock);
    const auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(clock.time_since_epoch()).count() %
        1000000000;
    char stamp[48];
    const size_t length = std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", std::gmtime(&now));
    std::snprintf(stamp + length, sizeof stamp - length, "-%09lld", static_cast<long long>(nanos));
    fs::path path;
    for (int n = 1;; ++n) { // one process's deletions within a nanosecond, each its own file
        char count[16];     // fixed width, so that the names sort in the order they were made
        std::snprintf(count, sizeof count, "%04d", n);
        path = folder / (kPrefix + std::string(stamp) + "-" + std::to_string(getpid()) + "-" + count + kSuffix);
        if (!fs::exists(path, ec) && !fs::exists(filesFolderOf(path), ec)) break;
    }
    try {
        writeFileAtomically(path.string(), text, "the trash");
    } catch (const Error& e) {
        throw Error(std::string(e.what()) + " Nothing was deleted.");
    }
    size_t deleted = 0;
    auto undoWhenNoneWent = [&] { // a failed first run: the trash keeps no deletion that did not happen
        if (deleted > 0) return;  // (after one went, restoring the deletion leaves out those still there)
        fs::remove(filesFolderOf(path), ec);
        fs::remove(path, ec);
    };
    for (int64_t id : ids) {
        // Its files go into the trash with its records (a rename: the trash is inside the folder
        // of run files), so that restoring brings the checkpoint back too; emptying frees them.
        const std::string files = withFiles ? store.runFiles(store.run(id)) : std::string();
        fs::path kept;
        if (!files.empty()) {
            fs::create_directories(filesFolderOf(path), ec);
            kept = filesFolderOf(path) / fs::path(files).filename();
            fs::rename(files, kept, ec);
            if (ec) {
                const std::string why = ec.message();
                undoWhenNoneWent();
                throw Error(files + ": run " + std::to_string(id) + "'s files could not be moved to the trash (" + why +
                            "); run " + std::to_string(id) + " and those after it were not deleted.");
            }
        }
        try {
            store.deleteRun(id);
        } catch (...) {
            if (!kept.empty()) fs::rename(kept, files, ec); // the run stays: so do its files
            undoWhenNoneWent();
            throw;
        }
        ++deleted;
    }
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
    const fs::path files = filesFolderOf(deletion.path);
    std::error_code ec;
    if (fs::is_directory(files, ec)) {
        bringFilesBack(store, files, ids);
        fs::remove(files, ec); // only when empty: a folder no restored run names waits for emptyTrash
    }
    // Restored (one transaction): the file goes. Were it kept, a second restore would leave the
    // runs out (they are there) and the trash would list them as still deleted.
    fs::remove(deletion.path, ec);
    return ids;
}

uintmax_t emptyTrash(const RunStore& store)
{
    // Every deletion and its files; also the files of a deletion whose file is gone.
    std::vector<fs::path> written; // only what deletions wrote; listed first, then removed
    std::error_code ec;
    for (fs::directory_iterator it(trashFolder(store), ec), end; !ec && it != end; it.increment(ec))
        if (it->path().filename().string().rfind(kPrefix, 0) == 0) written.push_back(it->path());
    uintmax_t bytes = 0;
    for (const fs::path& p : written) {
        const uintmax_t size = bytesOnDisk(p);
        std::error_code removed;
        if (fs::remove_all(p, removed) > 0 && !removed) bytes += size;
    }
    return bytes;
}

} // namespace ra
