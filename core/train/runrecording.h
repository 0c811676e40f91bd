#pragma once
// A run's life in the run store — start, resume, progress, the end of training, alpha sweeps,
// exports, failure — written in one place and used by `radapter train/sweep/export` and the
// Studio's worker alike, so a run looks the same in the store whichever front end made it.
// Torch-free.
#include "io/outputtarget.h"
#include "project/project.h"
#include "train/trainingsession.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace ra {

class RunStore;

class RunRecorder {
public:
    // A new run: status running, this process's pid, the project snapshot and its parameters,
    // and a fresh run folder for its checkpoint. Throws ra::Error on store failures.
    static RunRecorder start(RunStore& store, const Project& project, const std::string& experiment,
                             const std::string& name);
    // The project of run ID as it was started (its snapshot), to train it further; throws
    // ra::Error when the run has finished already.
    static Project resumableProject(const RunStore& store, int64_t id);
    // The project of run ID as stored: its snapshot plus every evaluation set added to it after
    // training (addEvaluationSet). Every front end opens a stored run through this.
    static Project storedProject(const RunStore& store, int64_t id);
    // Run ID continues in this process: status running ("resumed"), this pid, and its stored
    // checkpoint path (a fresh run folder when it has none).
    static RunRecorder resume(RunStore& store, int64_t id);
    // An existing run, for what follows training: sweeps and exports.
    RunRecorder(RunStore& store, int64_t id);

    int64_t id() const { return m_id; }
    const std::string& statePath() const { return m_statePath; }

    // One progress report: loss, lr and acc/SET for each evaluated set (with early stopping also
    // best_step, the step whose weights the run would keep), at its step and time. The
    // first report of a resumed run first removes what a killed process had recorded from that
    // step on, so every step is recorded once.
    void progress(const TrainProgress& progress);
    // The end of training. A finished run is evaluated once more at its alpha on every set, and
    // final/SET (primary metric) and that alpha's evaluation rows are stored; then the outcome's
    // status and message. Returns that evaluation (empty unless the run finished).
    std::map<std::string, EvalResult> finish(TrainingSession& session, const TrainOutcome& outcome);
    // A successive-halving rung reached at STEP (training stopped there): the ID set's primary
    // metric at the run's alpha, stored with the run as halvingMetric(set) at STEP, so that the
    // same search started again takes it from the run instead of training to the rung again;
    // also as acc/SET where the run had not evaluated that set at STEP, so its ID curve (the
    // training plots, the runs browser's overlay, runs list) shows what the search chose on.
    // The one rung evaluation of `radapter search --halving` and the Studio's worker.
    double rungScore(TrainingSession& session, int step);
    // A failure outside training (an exception at a front end's boundary); never throws.
    void fail(const std::string& message) noexcept;
    // One point of an alpha sweep: every set's every metric at ALPHA (replacing earlier ones).
    void alphaPoint(double alpha, const std::map<std::string, EvalResult>& results);
    // Adds the OOD evaluation set NAME (data at PATH) to the run's SESSION, evaluates it at ALPHA
    // and stores it: the set's role and path (so storedProject and every later sweep include it),
    // its final/NAME metric at the session's step, and that alpha's evaluation rows. The one path
    // for `radapter eval` and the Studio's Evaluate on. Throws ra::Error (bad data, a taken name)
    // before anything is stored.
    EvalResult addEvaluationSet(TrainingSession& session, const std::string& name, const std::string& path,
                                double alpha);
    // An exported file: KIND "adapters", "merged-openai" / "merged-hf" or "classification-head".
    void exported(const std::string& kind, const std::string& path);

private:
    RunStore* m_store;
    int64_t m_id;
    std::string m_statePath;
    bool m_reported = false;  // progress() has recorded a step
    double m_lastElapsed = 0; // the last reported step's time, for what is recorded at that step
    RunRecorder(RunStore& store, int64_t id, std::string statePath);
};

// The session of stored run ID with its trained state loaded (a method that trains needs its
// checkpoint), for what follows training: sweeps, evaluations, exports, embeddings. ADJUST, when
// given, may change the stored project before the session is made (the CLI's --threads). Refuses
// a run another process is training now. Every front end opens a stored run's model through this.
std::unique_ptr<TrainingSession> openStoredRun(const RunStore& store, int64_t id,
                                               const std::function<void(Project&)>& adjust = {});

// The session half of RunRecorder::addEvaluationSet: adds the set NAME (data at PATH) to SESSION
// and evaluates it at ALPHA, storing nothing. Under a launcher every rank runs it (its collectives
// included); rank 0 runs addEvaluationSet, which calls it.
EvalResult evaluateNewSet(TrainingSession& session, const std::string& name, const std::string& path, double alpha);

// The paths no output of run ID may replace: the run store and its journal, the store's folder
// of run files, the run's own folder, project file, base model and checkpoint.
std::vector<ProtectedPath> runInputs(const RunStore& store, int64_t id);

// Refuses, before anything is written, an export of run ID to TARGET that would replace the run
// store (or any run's files), the run's project, base model or checkpoint, or an existing file
// unless FORCE (io/outputtarget.h), and an export the store could not record (read-only store).
// FOLDER: a Hugging Face folder export (config.json + model.safetensors) rather than one file.
// A run that trained a classification head is checked for the head's file too.
void checkRunExportTarget(const RunStore& store, int64_t id, const std::string& target, bool folder, bool force);

} // namespace ra
