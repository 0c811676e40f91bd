// The run-based commands: train, sweep, export, runs, classify and embed --run.
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/recordedtraining.h"
#include "dist/launch.h"
#include "eval/alphagrid.h"
#include "eval/embeddingmap.h"
#include "io/atomicfile.h"
#include "project/project.h"
#include "store/runstore.h"
#include "store/runsummary.h"
#include "store/runtrash.h"
#include "store/searchruns.h"
#include "train/alphasweep.h"
#include "train/runrecording.h"
#include "train/trainingsession.h"
#include "util/error.h"
#include "util/runtime.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>
#include <unistd.h>

using nlohmann::json;
namespace fs = std::filesystem;

namespace ra::cli {
namespace {

int64_t parseRunId(const std::string& text, const std::string& what)
{
    return parseWholeNumber(text, what, 1, std::numeric_limits<int64_t>::max());
}

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

int64_t runId(const Arguments& args)
{
    if (!args.has("run")) throw UsageError("the option --run is required.");
    return parseRunId(args.value("run"), "--run");
}

// Rebuilds a finished (or interrupted) run's session with its trained state. Not while another
// process trains it: its checkpoint is a moment of that training, and what sweep, eval and export
// store would describe a model the run has already left behind.
std::unique_ptr<TrainingSession> openRun(RunStore& store, int64_t id)
{
    return openStoredRun(store, id, [](Project& p) { p.config.threads = threadsFor(p.config); });
}

// The --alpha given (ALPHA_OPTION, -1 when not), else the run's own evaluation alpha.
double alphaOr(double alphaOption, const TrainingSession& session)
{
    return alphaOption >= 0 ? alphaOption : session.config().evalAlpha();
}

json accuracyJson(const std::map<std::string, EvalResult>& results)
{
    json out = json::object();
    for (const auto& [name, r] : results) out[name] = r.isRetrieval ? json(r.metrics()) : json(r.primary());
    return out;
}

} // namespace

// A data-parallel rank other than 0: the same steps as rank 0 (the collectives keep them in
// lockstep), reading its checkpoint to resume but writing nothing. Ctrl-C or SIGTERM here, as on
// rank 0, stops every rank after the same step. Exit 1 when the run failed (e.g. another rank was
// lost).
int trainFollowerRank(TrainingSession& session, const std::string& resumeFrom)
{
    const StopSignals stop;
    const TrainOutcome outcome = session.train([](const TrainProgress&) { return !StopSignals::requested(); },
                                               resumeFrom, !resumeFrom.empty());
    if (outcome.status == RunStatus::Failed) std::cerr << "radapter train: " << outcome.message << "\n";
    return outcome.status == RunStatus::Failed ? 1 : 0;
}

int runTrain(int argc, char** argv, int first)
{
    Arguments args(argc, argv, first, {"quiet"});
    args.allowOnly({"project", "set", "db", "resume", "name", "experiment", "quiet", "dist-backend", "dist-url"});
    // Under torchrun or srun this process is one rank of a data-parallel run: it joins the process
    // group first (fail fast), and only rank 0 writes the store, checkpoints and output.
    const auto launch = detectLaunch(processEnvironment, args.value("dist-backend", ""), args.value("dist-url", ""));
    if (!launch && (args.has("dist-backend") || args.has("dist-url")))
        throw UsageError("--dist-backend and --dist-url need a launcher (torchrun or srun: RANK and WORLD_SIZE).");
    const std::shared_ptr<Collective> collective = launch ? joinProcessGroup(*launch) : nullptr;
    const bool writer = !launch || launch->rank == 0;
    const bool resume = args.has("resume");
    // The other ranks read the store only to resume (rank 0 may not have created it yet). A new
    // run opens (and so creates) the store only once its project and model have loaded, so a bad
    // project leaves no empty store behind.
    std::unique_ptr<RunStore> opened;
    auto openStore = [&] {
        opened = std::make_unique<RunStore>(databasePath(args),
                                            !writer      ? RunStore::Access::ReadOnly
                                                : resume ? RunStore::Access::ExistingReadWrite
                                                         : RunStore::Access::ReadWrite);
        if (writer) opened->markStaleRunsInterrupted();
    };
    Project project;
    int64_t resumeId = 0;
    if (resume) {
        openStore();
        resumeId = parseRunId(args.value("resume"), "--resume");
        project = writer ? RunRecorder::resumableProject(*opened, resumeId)
                         : RunRecorder::storedProject(*opened, resumeId);
    } else {
        if (!args.has("project")) throw UsageError("the option --project is required (or --resume RUN_ID).");
        project = Project::load(args.value("project"));
        for (const auto& kv : args.values("set")) {
            const auto eq = kv.find('=');
            if (eq == std::string::npos) throw UsageError("--set needs key=value, got '" + kv + "'.");
            project.config.applySetting(kv.substr(0, eq), kv.substr(eq + 1));
        }
        project.config.validate();
    }
    const std::string threadsFrom = threadsSource(project.config);
    project.config.threads = threadsFor(project.config);
    TrainingSession session(project);
    const bool quiet = args.has("quiet") || !writer;
    if (collective) {
        session.setCollective(collective);
        if (!quiet)
            std::cerr << "radapter train: rank 0 of " << launch->worldSize << " (" << launch->launcher << ", "
                      << launch->backend << "), global batch " << project.config.batchSize * launch->worldSize << "\n";
    }
    if (!writer) return trainFollowerRank(session, resume ? opened->run(resumeId).statePath : std::string());
    if (!opened) openStore();
    RunStore& store = *opened;
    warnAboutPrecision(project.config.precision);
    // The count libtorch now runs with (the session set it), and where it came from.
    if (!quiet)
        std::cerr << "radapter train: " << threadCount() << (threadCount() == 1 ? " thread (" : " threads (")
                  << threadsFrom << ")\n";
    RunRecorder recorder = resume
        ? RunRecorder::resume(store, resumeId)
        : RunRecorder::start(store, project, args.value("experiment", "default"), args.value("name", project.name));
    const int64_t id = recorder.id();

    std::cout << "run " << id << "\n";
    std::cout << "trainable parameters " << session.trainableParameterCount();
    if (session.adapterGateCount() > 0)
        std::cout << " (" << session.adapterWeightCount() << " adapter weights + " << session.adapterGateCount()
                  << " gates)";
    std::cout << "\n" << std::flush;

    const RecordedTraining trained = trainRecorded(session, recorder, quiet, resume);
    const TrainOutcome& outcome = trained.outcome;
    json out = {
        {"run", id}, {"status", runStatusName(outcome.status)}, {"steps", outcome.steps}, {"message", outcome.message}};
    if (outcome.status == RunStatus::Finished) {
        out["alpha"] = session.config().evalAlpha();
        out["accuracy"] = accuracyJson(trained.results);
    }
    std::cout << out.dump() << "\n";
    if (outcome.status == RunStatus::Failed)
        std::cerr << "radapter train: run " << id << " failed: " << outcome.message << "\n";
    return outcome.status == RunStatus::Failed ? 1 : 0;
}

int runSweep(int argc, char** argv, int first)
{
    Arguments args(argc, argv, first, {});
    args.allowOnly({"run", "alphas", "db"});
    const int64_t id = runId(args);
    AlphaGrid grid = AlphaGrid::standard();
    try {
        if (args.has("alphas")) grid = AlphaGrid::parse(args.value("alphas"), "--alphas");
    } catch (const Error& e) {
        throw UsageError(e.what()); // a malformed option: exit 2 before anything is loaded
    }
    // Under torchrun or srun every rank evaluates its share of every set at every alpha and rank 0
    // records and prints the whole (the other ranks only read the store).
    const auto launch = detectLaunch(processEnvironment, "", "");
    const std::shared_ptr<Collective> collective = launch ? joinProcessGroup(*launch) : nullptr;
    const bool writer = !launch || launch->rank == 0;
    RunStore store(databasePath(args), writer ? RunStore::Access::ExistingReadWrite : RunStore::Access::ReadOnly);
    auto session = openRun(store, id);
    if (collective) {
        session->setCollective(collective);
        session->setShardedEvaluation(true);
    }
    std::optional<RunRecorder> recorder;
    if (writer) recorder.emplace(store, id);
    json out = json::object();
    sweepAlpha(*session, grid.values, [&](double alpha, const std::map<std::string, EvalResult>& results) {
        if (!writer) return true;
        recorder->alphaPoint(alpha, results);
        std::ostringstream key;
        key << alpha;
        out[key.str()] = accuracyJson(results);
        std::fprintf(stderr, "alpha %.2f done\n", alpha);
        return true;
    });
    if (writer) std::cout << json({{"run", id}, {session->isRetrieval() ? "recall" : "top1", out}}).dump(2) << "\n";
    return 0;
}

int runEval(int argc, char** argv, int first)
{
    Arguments args(argc, argv, first, {});
    args.allowOnly({"run", "alpha", "data", "name", "db"});
    const int64_t id = runId(args);
    if (!args.has("data")) throw UsageError("the option --data is required.");
    const std::string data = args.value("data");
    if (data.empty()) throw UsageError("--data needs a dataset folder or file, got ''.");
    const std::filesystem::path dataPath = std::filesystem::absolute(data).lexically_normal();
    // The set's name: --name, else the dataset's own name (its folder, or its file without extension).
    const std::string name = args.has("name") ? args.value("name")
        : dataPath.has_filename()             ? dataPath.stem().string()
                                              : dataPath.parent_path().filename().string();
    const double alphaOption = args.doubleValue("alpha", -1, kMinAlpha, kMaxAlpha);
    // Under torchrun or srun every rank encodes its share of the set and rank 0 records and
    // prints (the other ranks only read the store), as in sweep.
    const auto launch = detectLaunch(processEnvironment, "", "");
    const std::shared_ptr<Collective> collective = launch ? joinProcessGroup(*launch) : nullptr;
    const bool writer = !launch || launch->rank == 0;
    RunStore store(databasePath(args), writer ? RunStore::Access::ExistingReadWrite : RunStore::Access::ReadOnly);
    if (writer) store.requireWritable(); // before minutes of evaluation: fail now if it could not be stored
    const RunRecord run = store.run(id);
    if (run.status != RunStatus::Finished && run.status != RunStatus::Interrupted)
        throw Error(store.path() + ": run " + std::to_string(id) + " is " + runStatusName(run.status) +
                    "; only finished or interrupted runs can be evaluated on new data.");
    auto session = openRun(store, id);
    if (collective) {
        session->setCollective(collective);
        session->setShardedEvaluation(true);
    }
    const double alpha = alphaOr(alphaOption, *session);
    if (!writer) { // the same steps as the writer's addEvaluationSet, collectives included
        evaluateNewSet(*session, name, dataPath.string(), alpha);
        return 0;
    }
    const EvalResult result = RunRecorder(store, id).addEvaluationSet(*session, name, dataPath.string(), alpha);
    std::cout << json({{"run", id},
                       {"set", name},
                       {"data", dataPath.string()},
                       {"alpha", alpha},
                       {"metrics", result.metrics()}})
                     .dump()
              << "\n";
    return 0;
}

int runExport(int argc, char** argv, int first)
{
    Arguments args(argc, argv, first, {"adapters-only", "force"});
    args.allowOnly({"run", "alpha", "layout", "out", "db", "adapters-only", "force"});
    const int64_t id = runId(args);
    if (!args.has("out")) throw UsageError("the option --out is required.");
    const std::string out = args.value("out");
    if (out.empty()) throw UsageError("--out needs a file or folder name, got ''.");
    const std::string layout = args.value("layout", "openai");
    if (layout != "openai" && layout != "hf") throw UsageError("--layout must be openai or hf.");
    const bool adaptersOnly = args.has("adapters-only");
    const double alphaOption = args.doubleValue("alpha", -1, kMinAlpha, kMaxAlpha);
    RunStore store(databasePath(args), RunStore::Access::ExistingReadWrite);
    // Before anything is loaded or written: never replace the store, the run's inputs or (without
    // --force) any existing file, and fail now if the store could not record the export.
    const bool folder = !adaptersOnly && layout == "hf";
    checkRunExportTarget(store, id, out, folder, args.has("force"));
    removeStaleTemporaries(folder ? out : std::filesystem::path(out).parent_path().string());
    auto session = openRun(store, id);
    RunRecorder recorder(store, id);
    json result = {{"run", id}, {"out", out}};
    if (adaptersOnly) {
        session->exportAdapters(out);
        recorder.exported("adapters", out);
    } else {
        const double alpha = alphaOr(alphaOption, *session);
        session->exportMerged(alpha, layout, out);
        recorder.exported("merged-" + layout, out);
        if (trainsClassificationHead(session->config().method)) {
            result["head"] = classificationHeadPath(out, folder);
            recorder.exported("classification-head", result["head"]);
        }
    }
    std::cout << result.dump() << "\n";
    return 0;
}

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
    // Looking needs no write access: list, show and export work on a read-only store.
    const bool looks = action == "list" || action == "show" || action == "export" || action == "check" ||
        action == "trash" || (action == "note" && pos.size() < 3); // reading a note
    // Importing may make the store: runs brought from another machine to a fresh one. It is made
    // only for an import that succeeds: the file goes into a scratch store in memory first (the same
    // reading and checks), so a missing or malformed file leaves no empty store behind.
    if (action == "import" && pos.size() == 2 && !fs::exists(databasePath(args)))
        RunStore(":memory:", RunStore::Access::ReadWrite).importRunFile(pos[1]);
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
        printRunsBrought("imported", store.importRunFile(pos[1]));
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

int runEmbedFromRun(int argc, char** argv, int first)
{
    Arguments args(argc, argv, first, {});
    args.allowOnly({"run", "alpha", "image", "text", "db", "model"});
    const int64_t id = runId(args);
    const double alphaOption = args.doubleValue("alpha", -1, kMinAlpha, kMaxAlpha);
    RunStore store(databasePath(args), RunStore::Access::ReadOnly);
    auto session = openRun(store, id);
    const double alpha = alphaOr(alphaOption, *session);
    const FloatMatrix images = session->embedImages(alpha, args.values("image"));
    const FloatMatrix texts = session->embedTexts(alpha, args.values("text"));
    printEmbeddings(images, texts, session->logitScale());
    return 0;
}

// One cell of a TSV file: the projector splits on tabs and lines, so those become spaces.
std::string tsvCell(std::string text)
{
    std::replace_if(
        text.begin(), text.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
    return text;
}

// `radapter embed --run ID --set NAME [--alpha A] [--limit N] --out DIR [--force]`: the set's image
// embeddings at alpha in TensorBoard Embedding Projector's two files (DIR/vectors.tsv, one image a
// line; DIR/metadata.tsv, a header, then each image's class, prediction and file), and a JSON
// summary: the accuracy of those images and how well they cluster by class (nearest class mean).
int runEmbedSet(int argc, char** argv, int first)
{
    Arguments args(argc, argv, first, {"force"});
    args.allowOnly({"run", "set", "alpha", "limit", "out", "db", "force"});
    const int64_t id = runId(args);
    const std::string set = args.required("set"), out = args.required("out");
    const double alphaOption = args.doubleValue("alpha", -1, kMinAlpha, kMaxAlpha);
    const int64_t limit = args.intValue("limit", 2000, 0, std::numeric_limits<int>::max());
    RunStore store(databasePath(args), RunStore::Access::ReadOnly);
    const std::vector<std::string> files = {"vectors.tsv", "metadata.tsv"};
    checkOutputTarget(out, files, runInputs(store, id), args.has("force"));
    auto session = openRun(store, id);
    const double alpha = alphaOr(alphaOption, *session);
    const SetEmbeddings e = session->embedEvaluationSet(alpha, set, limit);
    const ImageDataset& data = session->dataset(set);

    std::ostringstream vectors, metadata;
    vectors.precision(7);
    metadata << "class\tprediction\tright\tfile\n";
    for (int64_t i = 0; i < e.images.rows; ++i) {
        for (int64_t k = 0; k < e.images.cols; ++k) vectors << (k ? "\t" : "") << e.images.at(i, k);
        vectors << "\n";
        const bool ok = e.predictions[size_t(i)] == e.labels[size_t(i)];
        metadata << tsvCell(data.classNames.at(size_t(e.labels[size_t(i)]))) << "\t"
                 << tsvCell(data.classNames.at(size_t(e.predictions[size_t(i)]))) << "\t" << (ok ? "yes" : "no") << "\t"
                 << tsvCell(data.samples.at(size_t(e.samples[size_t(i)])).path) << "\n";
    }
    fs::create_directories(out);
    writeFileAtomically((fs::path(out) / files[0]).string(), vectors.str(), "the embeddings");
    writeFileAtomically((fs::path(out) / files[1]).string(), metadata.str(), "the embeddings' metadata");
    std::cout << json({{"run", id},
                       {"set", set},
                       {"alpha", alpha},
                       {"images", e.images.rows},
                       {"of", data.samples.size()},
                       {"accuracy", e.accuracy},
                       {"class_mean_accuracy", nearestClassMeanAccuracy(e.images, e.labels)},
                       {"vectors", (fs::path(out) / files[0]).string()},
                       {"metadata", (fs::path(out) / files[1]).string()}})
                     .dump()
              << "\n";
    return 0;
}

// `radapter classify --run ID [--alpha A] [--top K] IMAGE...`: one JSON line per image with its
// K most probable classes at alpha A (default: the run's), as the run's evaluation ranks them.
int runClassify(int argc, char** argv, int first)
{
    Arguments args(argc, argv, first, {});
    args.allowOnly({"run", "alpha", "top", "db"});
    const int64_t id = runId(args);
    const double alphaOption = args.doubleValue("alpha", -1, kMinAlpha, kMaxAlpha);
    const int64_t top = args.intValue("top", 5, 1, 1000000);
    const std::vector<std::string>& images = args.positional();
    if (images.empty()) throw UsageError("classify needs at least one image file after the options.");
    RunStore store(databasePath(args), RunStore::Access::ReadOnly);
    auto session = openRun(store, id);
    const double alpha = alphaOr(alphaOption, *session);
    const FloatMatrix probabilities = session->classifyImages(alpha, images);
    const std::vector<std::string>& classes = session->classNames();
    for (int64_t i = 0; i < probabilities.rows; ++i) {
        json ranked = json::array();
        for (int64_t c : probabilities.topColumns(i, top))
            ranked.push_back({{"class", classes[size_t(c)]}, {"probability", probabilities.at(i, c)}});
        std::cout << json{{"image", images[size_t(i)]}, {"alpha", alpha}, {"predictions", ranked}}.dump() << "\n";
    }
    return 0;
}

} // namespace ra::cli
