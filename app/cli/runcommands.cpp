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
#include "train/alphasweep.h"
#include "train/runrecording.h"
#include "train/trainingsession.h"
#include "util/error.h"
#include "util/labeltext.h"
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
    if (const std::string problem = labelProblem(args.value("experiment", "default"), "an experiment name");
        !problem.empty())
        throw UsageError("--experiment: " + problem + ".");
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
        for (const auto& kv : args.values("set")) applySetOption(project.config, kv);
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
    if (const std::string problem = labelProblem(name, "a set's name"); !problem.empty())
        throw UsageError((args.has("name") ? "--name: " : data + ": ") + problem + ".");
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

std::string setOptionKey(const std::string& keyValue)
{
    const auto eq = keyValue.find('=');
    if (eq == std::string::npos) throw UsageError("--set needs key=value, got '" + keyValue + "'.");
    return keyValue.substr(0, eq);
}

void applySetOption(TrainConfig& config, const std::string& keyValue)
{
    const std::string key = setOptionKey(keyValue);
    try {
        config.applySetting(key, keyValue.substr(key.size() + 1));
    } catch (const Error& e) {
        throw UsageError(e.what());
    }
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
