#include "train/runrecording.h"

#include "io/outputtarget.h"
#include "store/searchruns.h"
#include "store/runstore.h"
#include "util/error.h"

#include <filesystem>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace ra {

RunRecorder::RunRecorder(RunStore& store, int64_t id, std::string statePath)
    : m_store(&store), m_id(id), m_statePath(std::move(statePath))
{}

RunRecorder::RunRecorder(RunStore& store, int64_t id) : RunRecorder(store, id, store.run(id).statePath) {}

RunRecorder RunRecorder::start(RunStore& store, const Project& project, const std::string& experiment,
                               const std::string& name)
{
    RunRecord r;
    r.experiment = experiment;
    r.name = name.empty() ? project.name : name;
    r.method = methodName(project.config.method);
    r.projectPath = project.path;
    r.projectSnapshot = project.snapshot();
    r.modelPath = project.model;
    r.codeVersion = RA_VERSION;
    r.pid = getpid();
    auto params = project.config.toParams();
    // Each evaluation set's role travels with the run, so no view re-derives it.
    for (const auto& [set, role] : project.evaluationSetRoles()) params["set/" + set] = setRoleName(role);
    // The alpha every evaluation of the run is made at, resolved from "alpha" = -1 and the method
    // and task, so that the run's views need not re-derive it (store/runsummary.h).
    std::ostringstream alpha;
    alpha << project.config.evalAlpha();
    params["eval_alpha"] = alpha.str();
    const int64_t id = store.createRun(r, params);
    RunRecorder recorder(store, id, store.createRunDirectory(id) + "/state.pt");
    store.setStatePath(id, recorder.m_statePath);
    return recorder;
}

namespace {
RunRecord unfinishedRun(const RunStore& store, int64_t id)
{
    RunRecord r = store.run(id);
    if (r.status == RunStatus::Finished)
        throw Error(store.path() + ": run " + std::to_string(id) + " already finished.");
    // Two processes training one run would write one checkpoint and one set of metrics in turn.
    store.requireNotTraining(r, "resume it once it has stopped");
    return r;
}
} // namespace

// Params naming the data of an evaluation set added after training: "added_set/NAME" = path.
constexpr const char* kAddedSetPrefix = "added_set/";

Project RunRecorder::storedProject(const RunStore& store, int64_t id)
{
    Project project = Project::fromSnapshot(store.run(id).projectSnapshot);
    const std::string prefix = kAddedSetPrefix;
    for (const auto& [key, path] : store.params(id))
        if (key.rfind(prefix, 0) == 0) project.ood.emplace_back(key.substr(prefix.size()), path);
    return project;
}

std::unique_ptr<TrainingSession> openStoredRun(const RunStore& store, int64_t id,
                                               const std::function<void(Project&)>& adjust)
{
    const RunRecord r = store.run(id);
    store.requireNotTraining(r, "wait until it has finished or stop it");
    Project project = RunRecorder::storedProject(store, id);
    if (adjust) adjust(project);
    auto session = std::make_unique<TrainingSession>(project);
    if (session->config().trains()) {
        if (r.statePath.empty()) throw Error(store.path() + ": run " + std::to_string(id) + " has no saved state.");
        session->loadState(r.statePath);
    }
    return session;
}

Project RunRecorder::resumableProject(const RunStore& store, int64_t id)
{
    unfinishedRun(store, id);
    return storedProject(store, id);
}

RunRecorder RunRecorder::resume(RunStore& store, int64_t id)
{
    // Refuses a finished run before anything is written; the stored path, never a recomputed
    // one: an older version's runs live in another folder.
    std::string statePath = unfinishedRun(store, id).statePath;
    if (statePath.empty()) {
        statePath = store.createRunDirectory(id) + "/state.pt";
        store.setStatePath(id, statePath);
    }
    store.setStatus(id, RunStatus::Running, "resumed");
    store.setPid(id, getpid());
    return RunRecorder(store, id, statePath);
}

void RunRecorder::progress(const TrainProgress& p)
{
    std::map<std::string, double> values{{"loss", p.loss}, {"lr", p.learningRate}};
    for (const auto& [set, acc] : p.accuracy) values["acc/" + set] = acc;
    if (p.evaluated && p.bestStep > 0) values["best_step"] = p.bestStep;
    if (!m_reported) m_store->removeMetricsFrom(m_id, p.step);
    m_reported = true;
    m_lastElapsed = p.elapsedSeconds;
    m_store->addMetrics(m_id, p.step, p.elapsedSeconds, values);
}

double RunRecorder::rungScore(TrainingSession& session, int step)
{
    const std::string set = session.idSetName();
    const double score = session.evaluate(session.config().evalAlpha(), {set}).at(set).primary();
    std::map<std::string, double> values{{halvingMetric(set), score}};
    const auto curve = m_store->metrics(m_id, "acc/" + set);
    if (curve.empty() || curve.back().step != step) values["acc/" + set] = score;
    m_store->addMetrics(m_id, step, m_lastElapsed, values);
    return score;
}

std::map<std::string, EvalResult> RunRecorder::finish(TrainingSession& session, const TrainOutcome& outcome)
{
    std::map<std::string, EvalResult> results;
    if (outcome.status == RunStatus::Finished) {
        try {
            const double alpha = session.config().evalAlpha();
            results = session.evaluate(alpha);
            std::map<std::string, double> finals;
            for (const auto& [set, r] : results) finals["final/" + set] = r.primary();
            m_store->addMetrics(m_id, outcome.steps, 0, finals);
            alphaPoint(alpha, results);
        } catch (const Cancelled&) {
            m_store->setStatus(m_id, RunStatus::Interrupted, "stopped before the final evaluation");
            throw;
        } catch (const std::exception& e) {
            fail(userMessage(e));
            throw;
        }
    }
    m_store->setStatus(m_id, outcome.status, outcome.message);
    return results;
}

void RunRecorder::fail(const std::string& message) noexcept
{
    try {
        m_store->setStatus(m_id, RunStatus::Failed, message);
    } catch (...) {
        // The store itself failed (full disk, removed file): the run stays "running" until the
        // next open marks it interrupted, which is still the truth about its weights.
    }
}

void RunRecorder::alphaPoint(double alpha, const std::map<std::string, EvalResult>& results)
{
    std::vector<AlphaEvaluation> rows;
    for (const auto& [set, r] : results)
        for (const auto& [metric, value] : r.metrics()) rows.push_back({alpha, set, metric, value});
    m_store->addAlphaEvaluations(m_id, rows);
}

EvalResult evaluateNewSet(TrainingSession& session, const std::string& name, const std::string& path, double alpha)
{
    session.addEvaluationSet(name, path);
    return session.evaluate(alpha, {name}).at(name);
}

EvalResult RunRecorder::addEvaluationSet(TrainingSession& session, const std::string& name, const std::string& path,
                                         double alpha)
{
    const EvalResult result = evaluateNewSet(session, name, path, alpha);
    m_store->addParams(m_id, {{"set/" + name, setRoleName(SetRole::Ood)}, {kAddedSetPrefix + name, path}});
    m_store->addMetrics(m_id, session.stepsDone(), 0, {{"final/" + name, result.primary()}});
    alphaPoint(alpha, {{name, result}});
    return result;
}

void RunRecorder::exported(const std::string& kind, const std::string& path) { m_store->addArtifact(m_id, kind, path); }

std::vector<ProtectedPath> runInputs(const RunStore& store, int64_t id)
{
    const RunRecord r = store.run(id);
    const std::string db = store.path();
    std::vector<ProtectedPath> inputs = {
        {db, "the run store"},
        {db + "-wal", "the run store's journal"},
        {db + "-shm", "the run store's journal"},
        {store.runsFolder(), "inside the run store's folder of run files", true},
        {r.projectPath, "the run's project file"},
        {r.modelPath, "the run's base model", true},
        {r.statePath, "the run's checkpoint"},
    };
    // The run's own folder, wherever it is (an older version kept runs in a shared runs/).
    if (!r.statePath.empty())
        inputs.push_back({fs::path(r.statePath).parent_path().string(), "inside the run's folder of files", true});
    return inputs;
}

void checkRunExportTarget(const RunStore& store, int64_t id, const std::string& target, bool folder, bool force)
{
    const RunRecord r = store.run(id);
    const std::vector<ProtectedPath> inputs = runInputs(store, id);
    // Fine-tuning's trained head goes beside the model (classificationHeadPath): checked the same way.
    const bool head = [&] {
        try {
            return trainsClassificationHead(methodFromName(r.method));
        } catch (const Error&) {
            return false; // a method this version does not know cannot be opened to export anyway
        }
    }();
    std::vector<std::string> files;
    if (folder) files = {"model.safetensors", "config.json"};
    if (folder && head) files.push_back("classification_head.safetensors");
    checkOutputTarget(target, files, inputs, force);
    if (head && !folder) checkOutputTarget(classificationHeadPath(target, false), {}, inputs, force);
    store.requireWritable();
}

} // namespace ra
