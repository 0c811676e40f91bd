#pragma once
// The SQLite run store: experiments, runs (status running / finished / failed / interrupted),
// params, metrics (key, value, step, time), alpha evaluations, artifacts and tags. WAL journal,
// one transaction per write, a schema version (PRAGMA user_version) with forward migrations and
// a mark (PRAGMA application_id); a file that is not a store is refused before anything is
// written to it. Torch-free.
//
// Thread-safety: one RunStore (one connection) per thread; SQLite serialises writers across
// processes. Functions throw ra::Error naming the database file.
#include "store/runstatus.h"

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

struct sqlite3;

namespace ra {

class LockedFile;

struct RunRecord {
    int64_t id = 0;
    std::string experiment = "default";
    std::string name;
    std::string method;
    RunStatus status = RunStatus::Running;
    std::string created, updated; // ISO 8601 UTC
    std::string projectPath;
    std::string projectSnapshot; // the project JSON with absolute paths
    std::string modelPath;
    std::string codeVersion;
    std::string statePath; // the run's checkpoint / final state
    std::string message;
    int64_t pid = 0;
    std::vector<std::string> tags;
    std::string note; // the user's words about the run (what was tried, why); empty when none
};

struct MetricPoint {
    std::string key;
    double value = 0;
    int64_t step = 0;
    double time = 0; // seconds since the run started
};

struct AlphaEvaluation {
    double alpha = 0;
    std::string dataset;
    std::string metric = "top1";
    double value = 0;
};

class RunStore {
public:
    static constexpr int kSchemaVersion = 2; // 2: notes
    // The mark in SQLite's header (PRAGMA application_id) of every store made or upgraded since
    // it was introduced: "RAdS". A store without it is known by its schema version and tables.
    static constexpr int64_t kApplicationId = 0x52416453;
    // $RADAPTER_DB, else $XDG_DATA_HOME (or ~/.local/share)/radapter-studio/runs.sqlite.
    static std::string defaultPath();

    enum class Access { ReadWrite, ReadOnly, ExistingReadWrite };
    // ReadWrite creates the file and its folder when missing and migrates the schema. ReadOnly
    // (for commands that only look: runs list/show/export, embed) never writes, so it works on a
    // store in a read-only folder or file; it fails when the store does not exist.
    // ExistingReadWrite (for commands on runs already recorded: sweep, eval, export, runs delete and
    // tag) writes like ReadWrite but fails as ReadOnly does when the store does not exist (or is
    // an empty file), so a mistyped --db leaves no new empty store behind. Every access refuses a
    // file that is not a store (another program's SQLite database, a device) without writing it.
    explicit RunStore(const std::string& path, Access access = Access::ReadWrite);
    ~RunStore();
    RunStore(const RunStore&) = delete;
    RunStore& operator=(const RunStore&) = delete;

    const std::string& path() const { return m_path; }
    // The folder that holds this store's run files, beside the store and named after it, so two
    // stores in one folder never share one: NAME-runs (SQLite's -wal/-shm convention), except
    // that the default runs.sqlite keeps its folder runs/. Absolute, fixed when the store is
    // opened; not created here.
    std::string runsFolder() const;
    // Claims a new, empty folder for run ID's files: runsFolder()/<id>, or <id>-2, <id>-3, ...
    // when that exists (left by a deleted run whose id SQLite reused, or by an older version that
    // shared runs/ between stores), so a new run never writes into another run's files. A run's
    // files are found through its stored state path, never by recomputing this.
    std::string createRunDirectory(int64_t id) const;

    int64_t createRun(RunRecord record, const std::map<std::string, std::string>& params);
    void setStatus(int64_t id, RunStatus status, const std::string& message = {});
    void setStatePath(int64_t id, const std::string& path);
    // Adds (or replaces) parameters of run ID, e.g. an evaluation set added after training.
    void addParams(int64_t id, const std::map<std::string, std::string>& params);
    void setPid(int64_t id, int64_t pid);
    void addMetrics(int64_t id, int64_t step, double time, const std::map<std::string, double>& values);
    // Removes the run's step metrics (not final/*) from STEP on: a resumed run repeats the steps
    // after its last checkpoint, and a killed process had recorded some of them already.
    void removeMetricsFrom(int64_t id, int64_t step);
    // Replaces the stored evaluations at the same (alpha, dataset, metric).
    void addAlphaEvaluations(int64_t id, const std::vector<AlphaEvaluation>& evaluations);
    void addArtifact(int64_t id, const std::string& kind, const std::string& path);
    // Throws ra::Error when labelProblem (util/labeltext.h) names one for TAG.
    void addTag(int64_t id, const std::string& tag);
    void removeTag(int64_t id, const std::string& tag);
    // Replaces run ID's note; an empty TEXT removes it. Throws when there is no run ID.
    void setNote(int64_t id, const std::string& text);
    // Throws "STORE: run N is still training (process P); ADVICE." while R is recorded as training
    // by a process that still exists (this one included): such a run is not deleted, resumed a
    // second time, swept, evaluated or exported from under its training.
    void requireNotTraining(const RunRecord& r, const std::string& advice) const;
    // The folder of run R's own files (its checkpoint and nothing the user chose), when it lies in
    // runsFolder(); empty for a run without one there (a zero-shot run, an older version's run).
    std::string runFiles(const RunRecord& r) const;
    // The bytes in runFiles(R) (0 when there is none).
    int64_t runFilesBytes(const RunRecord& r) const;
    // Removes the run and its records (metrics, evaluations, tags). Its files stay in its folder
    // unless WITH_FILES: then runFiles(run) goes too, once the records are gone (exports, which
    // lie where the user put them, never do). Throws ra::Error while the run is training in a
    // process that still exists, or naming the folder that could not be removed.
    void deleteRun(int64_t id, bool withFiles = false);
    // Gives the space of deleted runs back to the file system (SQLite keeps a deleted run's pages
    // for reuse, so the file never shrinks by itself): VACUUM, then the write-ahead log emptied.
    // Returns the bytes of the store (with its log) before and after. Refused while any run trains
    // in a process that still exists: VACUUM holds the write lock throughout, and the training's
    // next write would wait for it and could fail.
    std::pair<int64_t, int64_t> compact();

    std::vector<RunRecord> listRuns() const;
    RunRecord run(int64_t id) const; // throws when missing
    std::map<std::string, std::string> params(int64_t id) const;
    std::vector<MetricPoint> metrics(int64_t id, const std::string& key = {}) const;
    // What a run's summary needs (runsummary.h), by the index: every evaluation (acc/SET,
    // final/SET) and the last loss point, without the loss and learning rate of every step (a long
    // run has millions of those, and the runs browser summarises every run).
    std::vector<MetricPoint> summaryMetrics(int64_t id) const;
    std::vector<AlphaEvaluation> alphaEvaluations(int64_t id) const;
    std::vector<std::pair<std::string, std::string>> artifacts(int64_t id) const;

    // Runs left "running" by a process that no longer exists become "interrupted" (in a read-only
    // store they are only reported so). Returns how many.
    int markStaleRunsInterrupted();
    std::string integrityCheck() const; // "ok" when healthy
    // Throws ra::Error when this store cannot be written (read-only file or folder), before a
    // long operation whose result it must record.
    void requireWritable() const;

    // Runs (all when IDS is empty) with params, last metrics and alpha evaluations.
    std::string exportJson(const std::vector<int64_t>& ids) const;
    // Adds the runs of TEXT, what exportJson writes (from this store or another: a search run on a
    // server, brought to the laptop's Studio), as new runs with new ids, in one transaction: all
    // of them or, when anything in TEXT is malformed, none (ra::Error naming SOURCE and the run).
    // A run exported while training arrives interrupted. Its files stay where it names them.
    // Returns the new ids in TEXT's order. RESTORE (undoing a delete) keeps each run's own id
    // instead, and leaves out a run that is still there (it was not deleted after all); a run whose
    // id a run made since has taken comes back under a new id.
    std::vector<int64_t> importRuns(const std::string& text, const std::string& source, bool restore = false);
    // importRuns of the file at PATH (runs export's output, the runs browser's Export…, a
    // deletion in the trash), PATH named in every error.
    std::vector<int64_t> importRunFile(const std::string& path, bool restore = false);
    // One row per metric point: run_id,method,status,key,step,time,value.
    std::string exportCsv(const std::vector<int64_t>& ids) const;

private:
    std::string m_path;            // as given: error messages name what the user typed
    std::string m_runsFolder;      // absolute, fixed when the store is opened (runsFolder())
    int m_schema = kSchemaVersion; // a read-only store may be of an older schema (never migrated)
    sqlite3* m_db = nullptr;
    // While open: nothing in this process opens the file to look at it (io/lockedfiles.h).
    std::unique_ptr<LockedFile> m_locked;
    bool m_readOnly = false;
    std::set<int64_t> m_staleRuns; // read-only: runs to report as interrupted
    void exec(const std::string& sql) const;
    void openReadOnly();
    // Checkpoints half-written by a killed process (io/atomicfile.h) in every run folder.
    void removeStaleRunTemporaries() const;
    // The runs IDS names (all when empty), in id order; throws naming the first unknown id.
    std::vector<RunRecord> selectRuns(const std::vector<int64_t>& ids) const;
    std::vector<RunRecord> readRuns(int64_t onlyId) const; // 0: every run
    // A checkpoint path as stored, made absolute where an older version stored it relative.
    std::string anchoredStatePath(const std::string& stored) const;
    // What the opened file is, read before anything is written: a new (empty) database, or a
    // run store of schema VERSION. Throws one sentence naming the file for anything else: not an
    // SQLite database, or another program's (its application id or tables), which is never
    // written: WRITING says so in the sentence.
    struct Identity {
        bool empty = false;
        int version = 0;
        int64_t applicationId = 0;
    };
    Identity identify(bool writing) const;
    // Brings a store FOUND by identify() to kSchemaVersion (a new one: the whole schema and the mark).
    void migrate(const Identity& found);
};

} // namespace ra
