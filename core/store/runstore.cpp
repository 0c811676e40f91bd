#include "store/runstore.h"

#include "data/csvfields.h"
#include "io/atomicfile.h"
#include "io/diskusage.h"
#include "io/inputfile.h"
#include "io/lockedfiles.h"
#include "util/error.h"
#include "util/labeltext.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <unordered_map>
#include <cstdio>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <functional>
#include <sstream>

namespace fs = std::filesystem;

namespace ra {
namespace {

const char* const kStaleMessage = "the process running it ended without finishing";

// A path as the file part of an SQLite URI: '%', '?' and '#' and bytes outside printable ASCII
// are percent-encoded.
std::string percentEncode(const std::string& path)
{
    std::string out;
    for (unsigned char c : path) {
        if (c == '%' || c == '?' || c == '#' || c < 0x21 || c > 0x7e) {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        } else {
            out += char(c);
        }
    }
    return out;
}

std::string nowIso()
{
    const std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

// A prepared statement with RAII finalisation and typed binding.
class Statement {
public:
    Statement(sqlite3* db, const std::string& sql, const std::string& path) : m_db(db), m_path(path)
    {
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &m_stmt, nullptr) != SQLITE_OK)
            throw Error(path + ": database error (" + sqlite3_errmsg(db) + ").");
    }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement& bind(int i, int64_t v)
    {
        sqlite3_bind_int64(m_stmt, i, v);
        return *this;
    }
    Statement& bind(int i, double v)
    {
        sqlite3_bind_double(m_stmt, i, v);
        return *this;
    }
    Statement& bind(int i, const std::string& v)
    {
        sqlite3_bind_text(m_stmt, i, v.c_str(), -1, SQLITE_TRANSIENT);
        return *this;
    }
    bool step()
    {
        const int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw Error(m_path + ": database error (" + sqlite3_errmsg(m_db) + ").");
    }
    void run()
    {
        while (step()) {}
        sqlite3_reset(m_stmt);
    }
    int64_t integer(int c) const { return sqlite3_column_int64(m_stmt, c); }
    double real(int c) const { return sqlite3_column_double(m_stmt, c); }
    std::string text(int c) const
    {
        const auto* t = sqlite3_column_text(m_stmt, c);
        return t ? reinterpret_cast<const char*>(t) : "";
    }

private:
    sqlite3* m_db;
    std::string m_path;
    sqlite3_stmt* m_stmt = nullptr;
};

// Appends every row of Q, a "SELECT key, value, step, time FROM metrics ..." query.
void readMetricRows(Statement& q, std::vector<MetricPoint>& out)
{
    while (q.step()) out.push_back({q.text(0), q.real(1), q.integer(2), q.real(3)});
}

// BEGIN IMMEDIATE ... COMMIT, rolled back if anything throws.
class Transaction {
public:
    explicit Transaction(const std::function<void(const std::string&)>& exec) : m_exec(exec)
    {
        m_exec("BEGIN IMMEDIATE");
    }
    ~Transaction()
    {
        if (!m_done) {
            try {
                m_exec("ROLLBACK");
            } catch (...) {}
        }
    }
    void commit()
    {
        m_exec("COMMIT");
        m_done = true;
    }

private:
    std::function<void(const std::string&)> m_exec;
    bool m_done = false;
};

const char* kSchemaV1 = R"(
CREATE TABLE experiments(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created TEXT NOT NULL);
CREATE TABLE runs(id INTEGER PRIMARY KEY, experiment_id INTEGER NOT NULL REFERENCES experiments(id),
  name TEXT NOT NULL DEFAULT '', method TEXT NOT NULL,
  status TEXT NOT NULL CHECK(status IN ('running','finished','failed','interrupted')),
  created TEXT NOT NULL, updated TEXT NOT NULL, project_path TEXT NOT NULL DEFAULT '',
  project_snapshot TEXT NOT NULL, model_path TEXT NOT NULL DEFAULT '', code_version TEXT NOT NULL DEFAULT '',
  state_path TEXT NOT NULL DEFAULT '', message TEXT NOT NULL DEFAULT '', pid INTEGER NOT NULL DEFAULT 0);
CREATE TABLE params(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, key TEXT NOT NULL,
  value TEXT NOT NULL, PRIMARY KEY(run_id, key));
CREATE TABLE metrics(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, key TEXT NOT NULL,
  value REAL NOT NULL, step INTEGER NOT NULL, time REAL NOT NULL);
CREATE INDEX metrics_by_run ON metrics(run_id, key, step);
CREATE TABLE alpha_evals(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, alpha REAL NOT NULL,
  dataset TEXT NOT NULL, metric TEXT NOT NULL, value REAL NOT NULL, PRIMARY KEY(run_id, alpha, dataset, metric));
CREATE TABLE artifacts(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, kind TEXT NOT NULL,
  path TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE tags(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, tag TEXT NOT NULL,
  PRIMARY KEY(run_id, tag));
)";
// Version 2: a note per run.
const char* kSchemaV2 = R"(
CREATE TABLE notes(run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE, text TEXT NOT NULL);
)";

// Absolute, so that a run's recorded checkpoint path stays valid when the store is opened again
// from another working directory (a relative --db would otherwise record a path relative to the
// directory the run was trained in), and taken once, when the store is opened, so that it names
// the folder beside the file SQLite opened even if the working directory changes afterwards.
std::string runsFolderOf(const std::string& storePath)
{
    std::error_code ec;
    fs::path store = fs::absolute(storePath, ec);
    if (ec) store = storePath;
    const std::string name = store.filename().string();
    return (store.parent_path() / (name == "runs.sqlite" ? std::string("runs") : name + "-runs")).string();
}

} // namespace

void RunStore::requireNotTraining(const RunRecord& r, const std::string& advice) const
{
    if (r.status == RunStatus::Running && processExists(r.pid))
        throw Error(m_path + ": run " + std::to_string(r.id) + " is still training (process " + std::to_string(r.pid) +
                    "); " + advice + ".");
}

std::string RunStore::defaultPath()
{
    if (const char* env = std::getenv("RADAPTER_DB"); env && *env) return env;
    std::string base;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) base = xdg;
    else if (const char* home = std::getenv("HOME"); home && *home) base = std::string(home) + "/.local/share";
    else base = ".";
    return base + "/radapter-studio/runs.sqlite";
}

RunStore::RunStore(const std::string& path, Access access)
    : m_path(path), m_runsFolder(runsFolderOf(path)), m_readOnly(access == Access::ReadOnly)
{
    std::error_code ec;
    if (fs::is_directory(path, ec)) throw Error(path + ": is a folder, not a run store.");
    const bool exists = fs::exists(path, ec);
    if (exists && !fs::is_regular_file(path, ec))
        throw Error(path + ": is not a regular file (a device, pipe or socket), not a run store.");
    if (access != Access::ReadWrite && !exists)
        throw Error(path + ": there is no run store here yet (no run has been recorded).");
    if (m_readOnly) {
        openReadOnly();
        return;
    }
    const fs::path parent = fs::path(path).parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    if (sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
        const std::string msg = m_db ? sqlite3_errmsg(m_db) : "out of memory";
        sqlite3_close(m_db);
        m_db = nullptr;
        throw Error(path + ": cannot open the run database (" + msg + ").");
    }
    sqlite3_busy_timeout(m_db, 10000);
    m_locked = std::make_unique<LockedFile>(path);
    try {
        // Before anything is written: the WAL mode set below stays in the file's header.
        const Identity found = identify(true);
        if (found.empty && access == Access::ExistingReadWrite)
            throw Error(path + ": there is no run store here yet (the file is empty).");
        exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=NORMAL");
        exec("PRAGMA foreign_keys=ON");
        migrate(found);
        removeStaleRunTemporaries();
    } catch (...) {
        sqlite3_close(m_db);
        m_db = nullptr;
        throw;
    }
}

RunStore::~RunStore() { sqlite3_close(m_db); }

void RunStore::removeStaleRunTemporaries() const
{
    std::error_code ec;
    for (fs::directory_iterator it(runsFolder(), ec), end; !ec && it != end; it.increment(ec))
        if (it->is_directory(ec)) removeStaleTemporaries(it->path().string());
}

void RunStore::openReadOnly()
{
    // A WAL store needs its -shm file; in a read-only folder where it cannot be created, SQLite
    // reads the file as immutable (nothing can write it there either).
    for (const bool immutable : {false, true}) {
        const std::string uri = "file:" + percentEncode(m_path) + (immutable ? "?immutable=1" : "?mode=ro");
        if (sqlite3_open_v2(uri.c_str(), &m_db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) == SQLITE_OK) {
            sqlite3_busy_timeout(m_db, 10000);
            m_locked = std::make_unique<LockedFile>(m_path);
            try {
                const Identity id = identify(false);
                if (id.empty) throw Error(m_path + ": there is no run store here yet (the file is empty).");
                if (id.version > kSchemaVersion)
                    throw Error(m_path + ": the run database was written by a newer version (schema " +
                                std::to_string(id.version) + ").");
                // An older schema is read as it is: what it lacks (notes) reads as empty.
                m_schema = id.version;
                return;
            } catch (const Error& e) {
                sqlite3_close(m_db);
                m_db = nullptr;
                if (immutable || std::string(e.what()).find("unable to open") == std::string::npos) throw;
            }
        } else {
            sqlite3_close(m_db);
            m_db = nullptr;
        }
    }
    throw Error(m_path + ": cannot open the run database for reading.");
}

void RunStore::requireWritable() const
{
    if (sqlite3_db_readonly(m_db, "main") == 1)
        throw Error(m_path + ": the run store is read-only; nothing was written.");
    try {
        exec("BEGIN IMMEDIATE");
    } catch (const Error&) {
        throw Error(m_path + ": the run store cannot be written (read-only file or folder?); nothing was written.");
    }
    exec("ROLLBACK");
}

void RunStore::exec(const std::string& sql) const
{
    char* err = nullptr;
    if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        const std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        if (msg.find("not a database") != std::string::npos || msg.find("malformed") != std::string::npos)
            throw Error(m_path + ": not a run database or damaged (" + msg + ").");
        throw Error(m_path + ": database error (" + msg + ").");
    }
}

RunStore::Identity RunStore::identify(bool writing) const
{
    // One statement, so one snapshot: another process may commit a new store's schema between
    // two statements, and the version of before with the tables of after is no store at all.
    Identity id;
    std::vector<std::string> tables;
    int64_t objects = 0;
    try {
        Statement q(m_db,
                    "SELECT v.user_version, a.application_id, m.type, m.name FROM pragma_user_version AS v, "
                    "pragma_application_id AS a LEFT JOIN sqlite_master AS m ORDER BY m.name",
                    m_path);
        while (q.step()) {
            id.version = int(q.integer(0));
            id.applicationId = q.integer(1);
            if (q.text(3).empty()) continue; // the row of an empty schema
            ++objects;
            if (q.text(2) == "table") tables.push_back(q.text(3));
        }
    } catch (const Error&) {
        if (sqlite3_errcode(m_db) == SQLITE_NOTADB)
            throw Error(m_path + ": not a run store (not an SQLite database, or a damaged one).");
        throw;
    }
    auto has = [&](const char* table) { return std::find(tables.begin(), tables.end(), table) != tables.end(); };
    id.empty = objects == 0 && id.version == 0 && id.applicationId == 0;
    // Ours: the mark, or (a store from before the mark) a schema version and the store's tables.
    const bool ours = id.applicationId == kApplicationId ||
        (id.applicationId == 0 && id.version >= 1 && has("runs") && has("experiments") && has("params"));
    if (id.empty || ours) return id;
    std::string what;
    if (id.applicationId != 0) {
        char hex[16];
        std::snprintf(hex, sizeof hex, "%08llx", static_cast<unsigned long long>(uint32_t(id.applicationId)));
        what = "application id 0x" + std::string(hex);
    }
    if (!tables.empty()) {
        const size_t shown = std::min<size_t>(tables.size(), 5);
        std::string names;
        for (size_t i = 0; i < shown; ++i) names += (i ? ", " : "") + tables[i];
        if (tables.size() > shown) names += ", ...";
        what += (what.empty() ? "" : "; ") + std::string("tables: ") + names;
    }
    throw Error(m_path + ": another program's SQLite database (" +
                (what.empty() ? "schema version " + std::to_string(id.version) : what) + "), not a run store; " +
                (writing ? "nothing was changed." : "choose the run store's own file."));
}

void RunStore::migrate(const Identity& found)
{
    auto newerCheck = [this](const Identity& id) {
        if (id.version > kSchemaVersion)
            throw Error(m_path + ": the run database was written by a newer version (schema " +
                        std::to_string(id.version) + ").");
        return id.version == kSchemaVersion;
    };
    if (newerCheck(found)) return; // no write lock taken: a store in a read-only place still opens
    // Again inside the write lock: another process may have made this new store meanwhile.
    Transaction t([this](const std::string& s) { exec(s); });
    const Identity id = identify(true);
    if (newerCheck(id)) return;
    if (id.version < 1) exec(kSchemaV1);
    if (id.version < 2) exec(kSchemaV2);
    // Later schema versions add their steps here.
    exec("PRAGMA user_version=" + std::to_string(kSchemaVersion));
    exec("PRAGMA application_id=" + std::to_string(kApplicationId));
    t.commit();
}

std::string RunStore::runsFolder() const { return m_runsFolder; }

std::string RunStore::createRunDirectory(int64_t id) const
{
    const fs::path folder(runsFolder());
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) throw Error(folder.string() + ": cannot create the folder of run files (" + ec.message() + ").");
    for (int attempt = 1; attempt <= 1000; ++attempt) {
        const fs::path dir = folder /
            (std::to_string(id) + (attempt == 1 ? std::string() : "-" + std::to_string(attempt)));
        // create_directory is atomic and reports whether it made the folder: a folder that already
        // exists belongs to someone else and is never reused.
        if (fs::create_directory(dir, ec)) return dir.string();
        if (ec) throw Error(dir.string() + ": cannot create the run folder (" + ec.message() + ").");
    }
    throw Error(folder.string() + ": no free folder name for run " + std::to_string(id) + ".");
}

int64_t RunStore::createRun(RunRecord r, const std::map<std::string, std::string>& params)
{
    Transaction t([this](const std::string& s) { exec(s); });
    Statement(m_db, "INSERT OR IGNORE INTO experiments(name, created) VALUES(?, ?)", m_path)
        .bind(1, r.experiment)
        .bind(2, nowIso())
        .run();
    Statement e(m_db, "SELECT id FROM experiments WHERE name = ?", m_path);
    e.bind(1, r.experiment);
    e.step();
    const int64_t experimentId = e.integer(0);
    const std::string now = nowIso();
    Statement ins(
        m_db,
        "INSERT INTO runs(experiment_id, name, method, status, created, updated, project_path, project_snapshot, "
        "model_path, code_version, state_path, message, pid) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
        m_path);
    ins.bind(1, experimentId)
        .bind(2, r.name)
        .bind(3, r.method)
        .bind(4, runStatusName(r.status))
        .bind(5, now)
        .bind(6, now)
        .bind(7, r.projectPath)
        .bind(8, r.projectSnapshot)
        .bind(9, r.modelPath)
        .bind(10, r.codeVersion)
        .bind(11, r.statePath)
        .bind(12, r.message)
        .bind(13, r.pid)
        .run();
    const int64_t id = sqlite3_last_insert_rowid(m_db);
    Statement p(m_db, "INSERT INTO params(run_id, key, value) VALUES(?,?,?)", m_path);
    for (const auto& [k, v] : params) p.bind(1, id).bind(2, k).bind(3, v).run();
    t.commit();
    return id;
}

void RunStore::addParams(int64_t id, const std::map<std::string, std::string>& params)
{
    run(id); // a missing run is an error naming the store, not a silent no-op
    Transaction t([this](const std::string& s) { exec(s); });
    Statement del(m_db, "DELETE FROM params WHERE run_id = ? AND key = ?", m_path);
    Statement ins(m_db, "INSERT INTO params(run_id, key, value) VALUES(?,?,?)", m_path);
    for (const auto& [k, v] : params) {
        del.bind(1, id).bind(2, k).run();
        ins.bind(1, id).bind(2, k).bind(3, v).run();
    }
    t.commit();
}

void RunStore::setStatus(int64_t id, RunStatus status, const std::string& message)
{
    Statement(m_db, "UPDATE runs SET status = ?, message = ?, updated = ? WHERE id = ?", m_path)
        .bind(1, runStatusName(status))
        .bind(2, message)
        .bind(3, nowIso())
        .bind(4, id)
        .run();
}

void RunStore::setStatePath(int64_t id, const std::string& path)
{
    Statement(m_db, "UPDATE runs SET state_path = ? WHERE id = ?", m_path).bind(1, path).bind(2, id).run();
}

void RunStore::setPid(int64_t id, int64_t pid)
{
    Statement(m_db, "UPDATE runs SET pid = ? WHERE id = ?", m_path).bind(1, pid).bind(2, id).run();
}

void RunStore::addMetrics(int64_t id, int64_t step, double time, const std::map<std::string, double>& values)
{
    Transaction t([this](const std::string& s) { exec(s); });
    Statement ins(m_db, "INSERT INTO metrics(run_id, key, value, step, time) VALUES(?,?,?,?,?)", m_path);
    for (const auto& [k, v] : values) ins.bind(1, id).bind(2, k).bind(3, v).bind(4, step).bind(5, time).run();
    Statement(m_db, "UPDATE runs SET updated = ? WHERE id = ?", m_path).bind(1, nowIso()).bind(2, id).run();
    t.commit();
}

void RunStore::removeMetricsFrom(int64_t id, int64_t step)
{
    Statement(m_db, "DELETE FROM metrics WHERE run_id = ? AND step >= ? AND key NOT LIKE 'final/%'", m_path)
        .bind(1, id)
        .bind(2, step)
        .run();
}

void RunStore::addAlphaEvaluations(int64_t id, const std::vector<AlphaEvaluation>& evals)
{
    Transaction t([this](const std::string& s) { exec(s); });
    Statement ins(m_db, "INSERT OR REPLACE INTO alpha_evals(run_id, alpha, dataset, metric, value) VALUES(?,?,?,?,?)",
                  m_path);
    for (const auto& e : evals)
        ins.bind(1, id).bind(2, e.alpha).bind(3, e.dataset).bind(4, e.metric).bind(5, e.value).run();
    t.commit();
}

void RunStore::addArtifact(int64_t id, const std::string& kind, const std::string& path)
{
    Statement(m_db, "INSERT INTO artifacts(run_id, kind, path, created) VALUES(?,?,?,?)", m_path)
        .bind(1, id)
        .bind(2, kind)
        .bind(3, path)
        .bind(4, nowIso())
        .run();
}

void RunStore::addTag(int64_t id, const std::string& tag)
{
    if (const std::string problem = labelProblem(tag, "a tag"); !problem.empty()) throw Error("tag: " + problem + ".");
    run(id);
    Statement(m_db, "INSERT OR IGNORE INTO tags(run_id, tag) VALUES(?,?)", m_path).bind(1, id).bind(2, tag).run();
}

void RunStore::removeTag(int64_t id, const std::string& tag)
{
    Statement(m_db, "DELETE FROM tags WHERE run_id = ? AND tag = ?", m_path).bind(1, id).bind(2, tag).run();
}

void RunStore::setNote(int64_t id, const std::string& text)
{
    run(id); // a note for no run is an error, not a row
    if (text.empty()) {
        Statement(m_db, "DELETE FROM notes WHERE run_id = ?", m_path).bind(1, id).run();
        return;
    }
    Statement(m_db,
              "INSERT INTO notes(run_id, text) VALUES(?, ?) ON CONFLICT(run_id) DO UPDATE SET text = excluded.text",
              m_path)
        .bind(1, id)
        .bind(2, text)
        .run();
}

std::string RunStore::runFiles(const RunRecord& r) const
{
    if (r.statePath.empty()) return {};
    std::error_code ec;
    const fs::path folder = fs::weakly_canonical(fs::path(r.statePath).parent_path(), ec);
    const fs::path runs = fs::weakly_canonical(runsFolder(), ec);
    // Only a folder directly in this store's runs folder, as createRunDirectory makes them.
    if (ec || folder.parent_path() != runs || !fs::is_directory(folder, ec)) return {};
    return folder.string();
}

int64_t RunStore::runFilesBytes(const RunRecord& r) const
{
    const std::string folder = runFiles(r);
    return folder.empty() ? 0 : int64_t(bytesOnDisk(folder));
}

void RunStore::deleteRun(int64_t id, bool withFiles)
{
    // Deleting a run that is training under another command (or the Studio) made that training
    // fail at its next write; it is refused until the run stops. A run whose process is gone
    // (killed) is stale and may go.
    const RunRecord r = run(id);
    requireNotTraining(r, "stop it before deleting it");
    const std::string folder = withFiles ? runFiles(r) : std::string();
    Statement(m_db, "DELETE FROM runs WHERE id = ?", m_path).bind(1, id).run();
    if (folder.empty()) return;
    std::error_code ec;
    fs::remove_all(folder, ec);
    if (ec)
        throw Error(folder + ": run " + std::to_string(id) + " is deleted, but its files could not be (" +
                    ec.message() + ").");
}

std::pair<int64_t, int64_t> RunStore::compact()
{
    requireWritable();
    for (const RunRecord& r : listRuns()) requireNotTraining(r, "compact the store when it has stopped");
    auto bytes = [this] {
        std::error_code ec;
        int64_t total = 0;
        for (const std::string& file : {m_path, m_path + "-wal"}) {
            const auto size = fs::file_size(file, ec);
            if (!ec) total += int64_t(size);
        }
        return total;
    };
    const int64_t before = bytes();
    exec("VACUUM");
    exec("PRAGMA wal_checkpoint(TRUNCATE)");
    return {before, bytes()};
}

namespace {
const char* kRunColumns =
    "SELECT r.id, e.name, r.name, r.method, r.status, r.created, r.updated, r.project_path, r.project_snapshot, "
    "r.model_path, r.code_version, r.state_path, r.message, r.pid FROM runs r JOIN experiments e ON e.id = "
    "r.experiment_id ";
}

std::string RunStore::anchoredStatePath(const std::string& stored) const
{
    // Before runsFolder() was absolute, a store opened by a relative path recorded its runs'
    // checkpoints relative to the directory the run was trained in (runs/7/state.pt,
    // data/runs/7/state.pt), which opened from anywhere else as "the checkpoint is missing".
    // Such a path is re-anchored at this store's own runs folder, where createRunDirectory put
    // it; any other relative path (not one of ours) stays as it was.
    const fs::path path(stored);
    if (stored.empty() || path.is_absolute()) return stored;
    const fs::path runs(runsFolder());
    const fs::path runFolder = path.parent_path();
    if (runFolder.filename().empty() || runFolder.parent_path().filename() != runs.filename()) return stored;
    return (runs / runFolder.filename() / path.filename()).string();
}

std::vector<RunRecord> RunStore::listRuns() const { return readRuns(0); }

std::vector<RunRecord> RunStore::readRuns(int64_t onlyId) const
{
    // One run by its id, or all: run(id) for every run of a search's thousands (the runs
    // browser's selection) read them all each time.
    const std::string where = onlyId > 0 ? " WHERE run_id = ?1" : "";
    std::vector<RunRecord> out;
    Statement q(m_db, std::string(kRunColumns) + (onlyId > 0 ? "WHERE r.id = ?1 " : "") + "ORDER BY r.id", m_path);
    if (onlyId > 0) q.bind(1, onlyId);
    while (q.step()) {
        RunRecord r;
        r.id = q.integer(0);
        r.experiment = q.text(1);
        r.name = q.text(2);
        r.method = q.text(3);
        // The schema's CHECK keeps the column to the four names; a file edited by hand is named.
        const auto status = runStatusFromName(q.text(4));
        if (!status)
            throw Error(m_path + ": run " + std::to_string(r.id) + " has the unknown status '" + q.text(4) + "'.");
        r.status = *status;
        r.created = q.text(5);
        r.updated = q.text(6);
        r.projectPath = q.text(7);
        r.projectSnapshot = q.text(8);
        r.modelPath = q.text(9);
        r.codeVersion = q.text(10);
        r.statePath = anchoredStatePath(q.text(11));
        r.message = q.text(12);
        r.pid = q.integer(13);
        if (m_staleRuns.count(r.id)) { // found stale by a read-only store, which cannot record it
            r.status = RunStatus::Interrupted;
            r.message = kStaleMessage;
        }
        out.push_back(std::move(r));
    }
    std::unordered_map<int64_t, size_t> index; // run id -> its place in OUT
    for (size_t i = 0; i < out.size(); ++i) index[out[i].id] = i;
    Statement tags(m_db, "SELECT run_id, tag FROM tags" + where + " ORDER BY tag", m_path);
    if (onlyId > 0) tags.bind(1, onlyId);
    while (tags.step())
        if (const auto it = index.find(tags.integer(0)); it != index.end())
            out[it->second].tags.push_back(tags.text(1));
    if (m_schema < 2) return out; // a read-only store of schema 1 has no notes
    Statement notes(m_db, "SELECT run_id, text FROM notes" + where, m_path);
    if (onlyId > 0) notes.bind(1, onlyId);
    while (notes.step())
        if (const auto it = index.find(notes.integer(0)); it != index.end()) out[it->second].note = notes.text(1);
    return out;
}

std::vector<RunRecord> RunStore::selectRuns(const std::vector<int64_t>& ids) const
{
    std::vector<RunRecord> all = listRuns();
    if (ids.empty()) return all;
    for (const int64_t id : ids) // an unknown id is an error, not an empty answer
        if (std::none_of(all.begin(), all.end(), [&](const RunRecord& r) { return r.id == id; }))
            throw Error(m_path + ": there is no run " + std::to_string(id) + ".");
    all.erase(std::remove_if(all.begin(), all.end(),
                             [&](const RunRecord& r) { return std::find(ids.begin(), ids.end(), r.id) == ids.end(); }),
              all.end());
    return all;
}

RunRecord RunStore::run(int64_t id) const
{
    if (std::vector<RunRecord> one = readRuns(id); id > 0 && !one.empty()) return std::move(one.front());
    throw Error(m_path + ": there is no run " + std::to_string(id) + ".");
}

std::map<std::string, std::string> RunStore::params(int64_t id) const
{
    std::map<std::string, std::string> out;
    Statement q(m_db, "SELECT key, value FROM params WHERE run_id = ?", m_path);
    q.bind(1, id);
    while (q.step()) out[q.text(0)] = q.text(1);
    return out;
}

std::vector<MetricPoint> RunStore::metrics(int64_t id, const std::string& key) const
{
    std::vector<MetricPoint> out;
    Statement q(m_db,
                key.empty() ? "SELECT key, value, step, time FROM metrics WHERE run_id = ? ORDER BY step, key"
                            : "SELECT key, value, step, time FROM metrics WHERE run_id = ? AND key = ? ORDER BY step",
                m_path);
    q.bind(1, id);
    if (!key.empty()) q.bind(2, key);
    readMetricRows(q, out);
    return out;
}

std::vector<MetricPoint> RunStore::summaryMetrics(int64_t id) const
{
    std::vector<MetricPoint> out;
    // Key ranges, not LIKE, so that SQLite walks metrics_by_run ('/' + 1 is '0').
    Statement q(m_db,
                "SELECT key, value, step, time FROM metrics WHERE run_id = ?1 AND ((key >= 'acc/' AND key < 'acc0') "
                "OR (key >= 'final/' AND key < 'final0')) ORDER BY step, key",
                m_path);
    q.bind(1, id);
    readMetricRows(q, out);
    Statement last(m_db,
                   "SELECT key, value, step, time FROM metrics WHERE run_id = ? AND key = 'loss' "
                   "ORDER BY step DESC LIMIT 1",
                   m_path);
    last.bind(1, id);
    readMetricRows(last, out);
    return out;
}

std::vector<AlphaEvaluation> RunStore::alphaEvaluations(int64_t id) const
{
    std::vector<AlphaEvaluation> out;
    Statement q(m_db, "SELECT alpha, dataset, metric, value FROM alpha_evals WHERE run_id = ? ORDER BY alpha, dataset",
                m_path);
    q.bind(1, id);
    while (q.step()) out.push_back({q.real(0), q.text(1), q.text(2), q.real(3)});
    return out;
}

std::vector<std::pair<std::string, std::string>> RunStore::artifacts(int64_t id) const
{
    std::vector<std::pair<std::string, std::string>> out;
    Statement q(m_db, "SELECT kind, path FROM artifacts WHERE run_id = ? ORDER BY rowid", m_path);
    q.bind(1, id);
    while (q.step()) out.emplace_back(q.text(0), q.text(1));
    return out;
}

int RunStore::markStaleRunsInterrupted()
{
    int n = 0;
    for (const auto& r : listRuns()) {
        if (r.status != RunStatus::Running) continue;
        if (!processExists(r.pid)) {
            if (m_readOnly) m_staleRuns.insert(r.id);
            else setStatus(r.id, RunStatus::Interrupted, kStaleMessage);
            ++n;
        }
    }
    return n;
}

std::string RunStore::integrityCheck() const
{
    Statement q(m_db, "PRAGMA integrity_check", m_path);
    return q.step() ? q.text(0) : "no answer";
}

std::string RunStore::exportJson(const std::vector<int64_t>& ids) const
{
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& r : selectRuns(ids)) {
        nlohmann::json metrics = nlohmann::json::array();
        for (const auto& m : this->metrics(r.id))
            metrics.push_back({{"key", m.key}, {"value", m.value}, {"step", m.step}, {"time", m.time}});
        nlohmann::json alphas = nlohmann::json::array();
        for (const auto& a : alphaEvaluations(r.id))
            alphas.push_back({{"alpha", a.alpha}, {"dataset", a.dataset}, {"metric", a.metric}, {"value", a.value}});
        nlohmann::json artifactList = nlohmann::json::array();
        for (const auto& [kind, path] : artifacts(r.id)) artifactList.push_back({{"kind", kind}, {"path", path}});
        runs.push_back({{"id", r.id},
                        {"experiment", r.experiment},
                        {"name", r.name},
                        {"method", r.method},
                        {"status", runStatusName(r.status)},
                        {"created", r.created},
                        {"updated", r.updated},
                        {"project", r.projectPath},
                        {"project_snapshot", r.projectSnapshot},
                        {"code_version", r.codeVersion},
                        {"model", r.modelPath},
                        {"message", r.message},
                        {"tags", r.tags},
                        {"note", r.note},
                        {"state", r.statePath},
                        {"params", params(r.id)},
                        {"metrics", metrics},
                        {"alpha_evaluations", alphas},
                        {"artifacts", artifactList}});
    }
    return runs.dump(2);
}

std::vector<int64_t> RunStore::importRuns(const std::string& text, const std::string& source, bool restore)
{
    nlohmann::json runs;
    try {
        runs = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception&) {
        throw Error(source + ": not JSON; import reads what runs export writes.");
    }
    if (!runs.is_array()) throw Error(source + ": not a list of runs; import reads what runs export writes.");
    Transaction t([this](const std::string& s) { exec(s); });
    std::vector<int64_t> ids;
    for (size_t i = 0; i < runs.size(); ++i) {
        const nlohmann::json& r = runs[i];
        const std::string which = source + ": run " +
            (r.is_object() && r.contains("id") ? r["id"].dump() : std::to_string(i + 1));
        try {
            if (!r.is_object()) throw Error("is not an object");
            auto text = [&](const char* key, const std::string& fallback) {
                return r.contains(key) ? r.at(key).get<std::string>() : fallback;
            };
            const std::string method = r.at("method").get<std::string>();
            int64_t ownId = restore ? r.at("id").get<int64_t>() : 0;
            if (restore) {
                // The id may be taken by the run itself (it was not deleted after all: left out)
                // or by a run made since (SQLite gives a new run the highest id + 1, so deleting
                // the newest run frees its id): that one stays, this one comes back under a new id.
                Statement taken(m_db, "SELECT method, name, created, project_path FROM runs WHERE id = ?", m_path);
                taken.bind(1, ownId);
                if (taken.step()) {
                    if (taken.text(0) == method && taken.text(1) == text("name", "") &&
                        taken.text(2) == text("created", "") && taken.text(3) == text("project", ""))
                        continue;
                    ownId = 0;
                }
            }
            auto status = runStatusFromName(r.at("status").get<std::string>());
            if (!status) throw Error("has the unknown status " + r.at("status").dump());
            std::string message = text("message", "");
            if (*status == RunStatus::Running) { // its training is not here to finish it
                status = RunStatus::Interrupted;
                message = "exported while it was training";
            }
            const std::string experiment = text("experiment", "default");
            Statement(m_db, "INSERT OR IGNORE INTO experiments(name, created) VALUES(?, ?)", m_path)
                .bind(1, experiment)
                .bind(2, nowIso())
                .run();
            Statement e(m_db, "SELECT id FROM experiments WHERE name = ?", m_path);
            e.bind(1, experiment);
            e.step();
            const int64_t experimentId = e.integer(0);
            Statement insert(m_db,
                             "INSERT INTO runs(experiment_id, name, method, status, created, updated, project_path, "
                             "project_snapshot, model_path, code_version, state_path, message, pid, id) "
                             "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,0,?)",
                             m_path);
            if (ownId > 0) insert.bind(13, ownId); // else NULL, unbound: the next free id
            insert.bind(1, experimentId)
                .bind(2, text("name", ""))
                .bind(3, method)
                .bind(4, std::string(runStatusName(*status)))
                .bind(5, text("created", nowIso()))
                .bind(6, text("updated", nowIso()))
                .bind(7, text("project", ""))
                .bind(8, text("project_snapshot", "{}"))
                .bind(9, text("model", ""))
                .bind(10, text("code_version", ""))
                .bind(11, text("state", ""))
                .bind(12, message)
                .run();
            const int64_t id = sqlite3_last_insert_rowid(m_db);
            Statement p(m_db, "INSERT INTO params(run_id, key, value) VALUES(?,?,?)", m_path);
            const nlohmann::json params = r.value("params", nlohmann::json::object()); // items() needs it to live
            for (const auto& [k, v] : params.items()) p.bind(1, id).bind(2, k).bind(3, v.get<std::string>()).run();
            Statement m(m_db, "INSERT INTO metrics(run_id, key, value, step, time) VALUES(?,?,?,?,?)", m_path);
            for (const auto& point : r.value("metrics", nlohmann::json::array()))
                m.bind(1, id)
                    .bind(2, point.at("key").get<std::string>())
                    .bind(3, point.at("value").get<double>())
                    .bind(4, point.at("step").get<int64_t>())
                    .bind(5, point.at("time").get<double>())
                    .run();
            Statement a(m_db,
                        "INSERT OR REPLACE INTO alpha_evals(run_id, alpha, dataset, metric, value) VALUES(?,?,?,?,?)",
                        m_path);
            for (const auto& ev : r.value("alpha_evaluations", nlohmann::json::array()))
                a.bind(1, id)
                    .bind(2, ev.at("alpha").get<double>())
                    .bind(3, ev.at("dataset").get<std::string>())
                    .bind(4, ev.at("metric").get<std::string>())
                    .bind(5, ev.at("value").get<double>())
                    .run();
            Statement f(m_db, "INSERT INTO artifacts(run_id, kind, path, created) VALUES(?,?,?,?)", m_path);
            for (const auto& artifact : r.value("artifacts", nlohmann::json::array()))
                f.bind(1, id)
                    .bind(2, artifact.at("kind").get<std::string>())
                    .bind(3, artifact.at("path").get<std::string>())
                    .bind(4, nowIso())
                    .run();
            Statement g(m_db, "INSERT OR IGNORE INTO tags(run_id, tag) VALUES(?,?)", m_path);
            for (const auto& tag : r.value("tags", nlohmann::json::array()))
                g.bind(1, id).bind(2, tag.get<std::string>()).run();
            if (const std::string note = text("note", ""); !note.empty())
                Statement(m_db, "INSERT INTO notes(run_id, text) VALUES(?,?)", m_path).bind(1, id).bind(2, note).run();
            ids.push_back(id);
        } catch (const nlohmann::json::exception& e) {
            throw Error(which + " is not as runs export writes it (" + e.what() + "); nothing was imported.");
        } catch (const Error& e) {
            if (std::string(e.what()).rfind(m_path, 0) == 0) throw; // the store's own trouble, named
            throw Error(which + " " + e.what() + "; nothing was imported.");
        }
    }
    t.commit();
    return ids;
}

std::vector<int64_t> RunStore::importRunFile(const std::string& path, bool restore)
{
    return importRuns(readInputFile(path, "runs export"), path, restore);
}

std::string RunStore::exportCsv(const std::vector<int64_t>& ids) const
{
    std::ostringstream out;
    out << "run_id,method,status,key,step,time,value\n";
    for (const auto& r : selectRuns(ids)) {
        for (const auto& m : metrics(r.id))
            out << r.id << ',' << csvField(r.method) << ',' << runStatusName(r.status) << ',' << csvField(m.key) << ','
                << m.step << ',' << m.time << ',' << m.value << '\n';
    }
    return out.str();
}

} // namespace ra
