// `radapter runs ...`: the run store's housekeeping. It needs SQLite and the file system only, never
// libtorch, so the radapter front end runs it itself (cli/engine.h) and it answers at once.
#include "cli/arguments.h"
#include "cli/commands.h"
#include "io/inputfile.h"
#include "store/runstore.h"
#include "store/runsummary.h"
#include "store/runtrash.h"
#include "store/searchruns.h"
#include "util/error.h"
#include "util/labeltext.h"

#include <cstdio>
#include <filesystem>
#include <iostream>

namespace fs = std::filesystem;

namespace ra::cli {
namespace {

// "imported 2 runs: 5, 6" / "restored 1 run: 3": what came into the store, by id.
void printRunsBrought(const char* verb, const std::vector<int64_t>& ids)
{
    std::string list;
    for (int64_t id : ids) list += (list.empty() ? "" : ", ") + std::to_string(id);
    std::printf("%s %zu run%s%s%s\n", verb, ids.size(), ids.size() == 1 ? "" : "s", ids.empty() ? "" : ": ",
                list.c_str());
}

// "3.2 kB", "412.7 MB": the trash holds records (kB) and checkpoints (MB).
std::string sizeText(uintmax_t bytes)
{
    char text[32];
    if (bytes < 1000000) std::snprintf(text, sizeof text, "%.1f kB", double(bytes) / 1e3);
    else std::snprintf(text, sizeof text, "%.1f MB", double(bytes) / 1e6);
    return text;
}

} // namespace

int runRuns(int argc, char** argv, int first)
{
    Arguments args(argc, argv, first, {"files"});
    args.allowOnly({"db", "format", "files", "tag"});
    const auto& pos = args.positional();
    const std::string action = pos.empty() ? "list" : pos[0];
    if (args.has("files") && action != "delete") throw UsageError("--files goes with runs delete only.");
    // --tag T: the runs tagged T (a search's, say), for list and export.
    const std::string tag = args.value("tag");
    if (args.has("tag") && action != "list" && action != "export")
        throw UsageError("--tag goes with runs list and runs export.");
    if (args.has("tag") && tag.empty()) throw UsageError("--tag needs a tag.");
    if (const std::string problem = labelProblem(tag, "a tag"); args.has("tag") && !problem.empty())
        throw UsageError("--tag: " + problem + ".");
    // Looking needs no write access: list, show and export work on a read-only store.
    const bool looks = action == "list" || action == "show" || action == "export" || action == "check" ||
        action == "trash" || (action == "note" && pos.size() < 3); // reading a note
    // Importing may make the store: runs brought from another machine to a fresh one. It is made
    // only for an import that succeeds: the file goes into a scratch store in memory first (the same
    // reading and checks), so a missing or malformed file leaves no empty store behind. The file is
    // read once, for both: a pipe (`<(ssh host radapter runs export)`) can be read only once.
    std::string imported;
    if (action == "import" && pos.size() == 2) {
        imported = ra::readInputFile(pos[1], "runs export");
        if (!fs::exists(databasePath(args)))
            RunStore(":memory:", RunStore::Access::ReadWrite).importRuns(imported, pos[1]);
    }
    RunStore store(databasePath(args),
                   looks                    ? RunStore::Access::ReadOnly
                       : action == "import" ? RunStore::Access::ReadWrite
                                            : RunStore::Access::ExistingReadWrite);
    store.markStaleRunsInterrupted();
    auto idAt = [&](size_t i) -> int64_t {
        if (pos.size() <= i) throw UsageError("runs " + action + " needs a run id.");
        return parseRunId(pos[i], "the run id");
    };
    if (action == "list") {
        std::printf("%-5s %-12s %-12s %-11s %-20s %-26s %s\n", "id", "method", "status", "experiment", "created",
                    "last ID / OOD top-1", "tags");
        for (const auto& r : tag.empty() ? store.listRuns() : runsTagged(store, tag)) {
            const RunSummary s = summarizeRun(store, r.id);
            auto percent = [](double v) {
                char text[16];
                std::snprintf(text, sizeof text, "%.1f", 100 * v);
                return v < 0 ? std::string("-") : std::string(text);
            };
            char alpha[32];
            std::snprintf(alpha, sizeof alpha, " at alpha %g", s.alpha);
            const std::string summary = percent(s.lastId) + " / " + percent(s.lastOod) + alpha;
            std::string tags;
            for (const std::string& t : r.tags) tags += (tags.empty() ? "" : ", ") + t;
            std::printf("%-5lld %-12s %-12s %-11s %-20s %-26s %s\n", static_cast<long long>(r.id), r.method.c_str(),
                        runStatusName(r.status), r.experiment.c_str(), r.created.c_str(), summary.c_str(),
                        tags.c_str());
        }
        return 0;
    }
    if (action == "show") {
        std::cout << store.exportJson({idAt(1)}) << "\n";
        return 0;
    }
    if (action == "delete") {
        const int64_t id = idAt(1);
        const RunRecord r = store.run(id);
        const std::string folder = store.runFiles(r);
        const int64_t bytes = store.runFilesBytes(r);
        const bool withFiles = args.has("files");
        deleteRunsToTrash(store, {id}, withFiles);
        char size[32];
        std::snprintf(size, sizeof size, "%.1f MB", double(bytes) / 1e6);
        // The run's files go only when asked (--files); exports are never touched.
        if (folder.empty()) std::cout << "deleted run " << id << "\n";
        else if (withFiles)
            std::cout << "deleted run " << id << " and its files (" << size << ", " << folder
                      << "; the space comes back when the trash is emptied: runs empty-trash)\n";
        else
            std::cout << "deleted run " << id << "; its files stay in " << folder << " (" << size
                      << "; runs delete --files takes them with the run)\n";
        std::cout << "it is in the trash: runs restore brings it back, runs trash lists what is there\n";
        return 0;
    }
    if (action == "trash") { // the deletions runs restore can bring back, newest first
        std::printf("%-3s %-21s %-9s %s\n", "#", "deleted (UTC)", "size", "runs");
        int n = 0;
        for (const TrashedDeletion& d : trashedDeletions(store)) {
            std::string runs;
            for (const auto& r : d.runs)
                runs += (runs.empty() ? "" : ", ") + std::to_string(r.id) + " " + r.method +
                    (r.name.empty() ? "" : " '" + r.name + "'");
            if (!d.filesFolder.empty()) runs += " (with their files)";
            std::printf("%-3d %-21s %-9s %s\n", ++n, d.deletedAt.c_str(), sizeText(d.bytes).c_str(),
                        runs.empty() ? "(unreadable)" : runs.c_str());
        }
        return 0;
    }
    if (action == "restore") { // a deletion back from the trash: the newest, or #N of runs trash
        const size_t n = pos.size() > 1 ? size_t(parseRunId(pos[1], "the deletion's number")) : 1;
        const size_t held = trashedDeletionCount(store);
        if (held == 0) throw Error(trashFolder(store) + ": the trash is empty; nothing to restore.");
        if (n > held)
            throw Error(trashFolder(store) + ": the trash holds " + std::to_string(held) +
                        " deletion(s); runs trash lists them.");
        printRunsBrought("restored", restoreDeletion(store, trashedDeletions(store, n).back()));
        return 0;
    }
    if (action == "empty-trash") {
        std::printf("emptied the trash (%s)\n", sizeText(emptyTrash(store)).c_str());
        return 0;
    }
    if (action == "tag" || action == "untag") {
        const int64_t id = idAt(1);
        if (pos.size() < 3) throw UsageError("runs " + action + " needs a run id and a tag.");
        if (const std::string problem = labelProblem(pos[2], "a tag"); action == "tag" && !problem.empty())
            throw UsageError("runs tag: " + problem + ".");
        if (action == "tag") store.addTag(id, pos[2]);
        else store.removeTag(id, pos[2]);
        return 0;
    }
    if (action == "note") { // with TEXT: sets (or, empty, clears) the note; without: prints it
        const int64_t id = idAt(1);
        if (pos.size() > 3) throw UsageError("runs note takes one text; quote it (\"lr 0.01 was faster\").");
        if (pos.size() == 3) store.setNote(id, pos[2]);
        else std::cout << store.run(id).note << "\n";
        return 0;
    }
    if (action == "export") {
        std::vector<int64_t> ids;
        for (size_t i = 1; i < pos.size(); ++i) ids.push_back(idAt(i));
        const std::string format = args.value("format", "json");
        if (format != "json" && format != "csv") throw UsageError("--format must be json or csv.");
        if (!tag.empty()) {
            if (!ids.empty()) throw UsageError("runs export takes run ids or --tag, not both.");
            for (const auto& r : runsTagged(store, tag)) ids.push_back(r.id);
            // No ids would mean every run: a tag nobody has is said instead.
            if (ids.empty()) throw Error(store.path() + ": no run is tagged '" + tag + "'.");
        }
        if (format == "json") std::cout << store.exportJson(ids) << "\n";
        else std::cout << store.exportCsv(ids);
        return 0;
    }
    if (action == "check") { // SQLite's own integrity check of the whole store
        const std::string result = store.integrityCheck();
        std::cout << result << "\n";
        if (result != "ok") throw Error(store.path() + ": the run store is damaged (" + result.substr(0, 200) + ").");
        return 0;
    }
    if (action == "import") { // what runs export wrote, from this store or another
        if (pos.size() != 2) throw UsageError("runs import needs the file runs export wrote.");
        printRunsBrought("imported", store.importRuns(imported, pos[1]));
        return 0;
    }
    if (action == "compact") { // deleted runs' space back to the file system
        const auto [before, after] = store.compact();
        std::printf("%s: %.1f MB -> %.1f MB\n", store.path().c_str(), double(before) / 1e6, double(after) / 1e6);
        // The deleted runs also wait in the trash (with their checkpoints where --files took them),
        // which compacting does not touch: say what it holds and how to give it back.
        uintmax_t trashed = 0;
        const std::vector<TrashedDeletion> deletions = trashedDeletions(store);
        for (const TrashedDeletion& d : deletions) trashed += d.bytes;
        if (!deletions.empty())
            std::printf("the trash holds %zu deletion%s (%s); runs empty-trash gives them back\n", deletions.size(),
                        deletions.size() == 1 ? "" : "s", sizeText(trashed).c_str());
        return 0;
    }
    throw UsageError("unknown runs action '" + action +
                     "' (list, show, delete, trash, restore, empty-trash, tag, untag, note, export, import, check, "
                     "compact).");
}

} // namespace ra::cli
