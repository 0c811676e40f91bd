// The SQLite run store on real database files: records, metrics, alpha evaluations, tags,
// deletion, export, stale-run detection and refusal of foreign or newer files.
#include "clip/imagepreprocess.h"
#include "data/csvfields.h"
#include "io/inputfile.h"
#include "io/lockedfiles.h"
#include "io/outputtarget.h"
#include "project/project.h"
#include "store/runstore.h"
#include "store/runtrash.h"
#include "store/runsummary.h"
#include "testutil.h"
#include "util/error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <fstream>
#include <functional>
#include <mutex>
#include <thread>
#include <sqlite3.h>

using namespace ra;

class TestRunStore : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string db(const char* name) { return (m_dir.path() + "/" + name).toStdString(); }

    static std::string readText(const std::string& path)
    {
        std::ifstream in(path);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }

    // Runs SQL on the database at PATH with SQLite itself, as another program would.
    static bool sqlite(const std::string& path, const std::string& sql)
    {
        sqlite3* raw = nullptr;
        const bool ok = sqlite3_open(path.c_str(), &raw) == SQLITE_OK &&
            sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
        sqlite3_close(raw);
        return ok;
    }

    RunRecord record(const std::string& method)
    {
        RunRecord r;
        r.method = method;
        r.projectSnapshot = "{}";
        r.pid = 0;
        return r;
    }

private Q_SLOTS:
    void recordsMetricsAndEvaluations()
    {
        RunStore store(db("a.sqlite"));
        const int64_t id = store.createRun(record("radapter"), {{"lr", "0.003"}, {"p", "0.2"}});
        store.addMetrics(id, 10, 1.5, {{"loss", 2.0}, {"acc/val", 0.5}});
        store.addMetrics(id, 20, 3.0, {{"loss", 1.0}});
        store.addAlphaEvaluations(id, {{0.5, "val", "top1", 0.7}, {1.0, "val", "top1", 0.8}});
        store.addAlphaEvaluations(id, {{0.5, "val", "top1", 0.75}}); // replaces
        store.addTag(id, "baseline");
        for (const std::string& bad : {std::string("a\nb"), std::string(), std::string("end ")}) {
            try {
                store.addTag(id, bad);
                QFAIL("a tag that is not one line of text was stored");
            } catch (const Error& e) {
                QVERIFY2(QString::fromUtf8(e.what()).startsWith("tag: a tag "), e.what());
            }
        }
        store.addArtifact(id, "merged-openai", "/tmp/x.safetensors");
        store.setStatus(id, RunStatus::Finished);

        RunStore again(db("a.sqlite"));
        const RunRecord r = again.run(id);
        QCOMPARE(r.status, RunStatus::Finished);
        QCOMPARE(r.tags, std::vector<std::string>{"baseline"});
        QCOMPARE(again.params(id).at("lr"), std::string("0.003"));
        const auto loss = again.metrics(id, "loss");
        QCOMPARE(loss.size(), size_t(2));
        QCOMPARE(loss[1].step, int64_t(20));
        const auto evals = again.alphaEvaluations(id);
        QCOMPARE(evals.size(), size_t(2));
        QCOMPARE(evals[0].value, 0.75);
        QCOMPARE(again.artifacts(id).size(), size_t(1));
        QVERIFY(QString::fromStdString(again.exportCsv({id})).contains("radapter,finished,loss,20,3,1"));
        // A set's name may hold a comma or a quote: the CSV quotes such a field, so it reads back whole.
        again.addMetrics(id, 30, 4.0, {{"acc/sketch, \"small\"", 0.25}});
        const std::string csv = again.exportCsv({id});
        const std::string line = csv.substr(csv.rfind("\n", csv.size() - 2) + 1);
        std::vector<std::string> fields;
        QVERIFY(splitCsv(trimBlanks(line), fields));
        QCOMPARE(fields.size(), size_t(7));
        QCOMPARE(fields[3], std::string("acc/sketch, \"small\""));
        QVERIFY(QString::fromStdString(again.exportJson({})).contains("\"alpha_evaluations\""));
        QCOMPARE(QString::fromStdString(again.integrityCheck()), QStringLiteral("ok"));
    }

    void deleteCascades()
    {
        RunStore store(db("b.sqlite"));
        const int64_t id = store.createRun(record("finetune"), {{"lr", "1e-4"}});
        store.addMetrics(id, 1, 0.1, {{"loss", 3.0}});
        store.deleteRun(id);
        QVERIFY_THROWS_EXCEPTION(Error, store.run(id));
        QVERIFY(store.metrics(id).empty());
        QVERIFY(store.params(id).empty());
    }

    // A store opened by a relative path (`radapter --db runs.sqlite`) once recorded its runs'
    // checkpoints relative to the working directory, so the same store opened from anywhere else
    // said every checkpoint was missing. The runs' folder is absolute now.
    void runsFolderIsAbsoluteForARelativeStorePath()
    {
        QTemporaryDir dir;
        const QString before = QDir::currentPath();
        QVERIFY(QDir::setCurrent(dir.path()));
        std::string runDir, secondRunDir;
        {
            RunStore store("relative.sqlite");
            runDir = store.createRunDirectory(store.createRun(record("radapter"), {}));
            // The folder is fixed when the store is opened: a program that changes its working
            // directory afterwards still records its runs beside the store it opened.
            QVERIFY(QDir::setCurrent(before));
            secondRunDir = store.createRunDirectory(store.createRun(record("radapter"), {}));
        }
        QCOMPARE(QString::fromStdString(runDir), dir.path() + "/relative.sqlite-runs/1");
        QVERIFY(QFileInfo(QString::fromStdString(runDir)).isDir());
        QCOMPARE(QString::fromStdString(secondRunDir), dir.path() + "/relative.sqlite-runs/2");
    }

    // Runs trained before that fix recorded relative checkpoint paths; they are read back
    // anchored at the store's own runs folder, from whatever directory the store is opened.
    void relativeCheckpointPathsOfOlderRunsAreAnchoredAtTheStore()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath("data"));
        const std::string storePath = dir.path().toStdString() + "/data/runs.sqlite";
        int64_t trainedHere = 0, trainedAbove = 0, userChosen = 0;
        {
            RunStore store(storePath);
            trainedHere = store.createRun(record("radapter"), {});
            trainedAbove = store.createRun(record("radapter"), {});
            userChosen = store.createRun(record("radapter"), {});
            // What `radapter --db runs.sqlite` from data/ and `--db data/runs.sqlite` from above wrote.
            store.setStatePath(trainedHere, "runs/" + std::to_string(trainedHere) + "/state.pt");
            store.setStatePath(trainedAbove, "data/runs/" + std::to_string(trainedAbove) + "-2/state.pt");
            store.setStatePath(userChosen, "elsewhere/state.pt");
        }
        const RunStore store(storePath); // opened from the test's own working directory
        const QString runs = dir.path() + "/data/runs/";
        QCOMPARE(QString::fromStdString(store.run(trainedHere).statePath),
                 runs + QString::number(trainedHere) + "/state.pt");
        QCOMPARE(QString::fromStdString(store.run(trainedAbove).statePath),
                 runs + QString::number(trainedAbove) + "-2/state.pt");
        QCOMPARE(QString::fromStdString(store.run(userChosen).statePath), QStringLiteral("elsewhere/state.pt"));
        // The run's files are found again, so deleting it with its files removes them.
        QVERIFY(QDir().mkpath(runs + QString::number(trainedHere)));
        QCOMPARE(QString::fromStdString(store.runFiles(store.run(trainedHere))), runs + QString::number(trainedHere));
    }

    // Two stores in one folder once shared <folder>/runs/<id>/, so run 1 of one store replaced
    // the checkpoint of run 1 of the other. Each store now has its own folder, and a run folder
    // that exists already (a deleted run's, whose id SQLite reuses) is never written into.
    void runFoldersAreNeverShared()
    {
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        RunStore first(folder + "/runs.sqlite"), second(folder + "/other.sqlite");
        QCOMPARE(QString::fromStdString(first.runsFolder()), dir.path() + "/runs");
        QCOMPARE(QString::fromStdString(second.runsFolder()), dir.path() + "/other.sqlite-runs");
        const int64_t a = first.createRun(record("radapter"), {}), b = second.createRun(record("radapter"), {});
        QCOMPARE(a, b); // both are run 1 ...
        const std::string dirA = first.createRunDirectory(a), dirB = second.createRunDirectory(b);
        QVERIFY(dirA != dirB); // ... with two folders
        QCOMPARE(QString::fromStdString(dirA), dir.path() + "/runs/1");

        // A folder left behind: the deleted run 2's files stay as they were.
        const int64_t c = first.createRun(record("radapter"), {});
        const std::string leftover = first.createRunDirectory(c);
        std::ofstream(leftover + "/state.pt") << "the deleted run's checkpoint";
        first.deleteRun(c);
        const int64_t reused = first.createRun(record("radapter"), {});
        QCOMPARE(reused, c);
        const std::string fresh = first.createRunDirectory(reused);
        QCOMPARE(QString::fromStdString(fresh), dir.path() + "/runs/2-2");
        QVERIFY(!QFile::exists(QString::fromStdString(fresh + "/state.pt")));
        QCOMPARE(readText(leftover + "/state.pt"), std::string("the deleted run's checkpoint"));
    }

    // The summary reads only the evaluations and the last loss, and says what all metrics say.
    void summariesReadOnlyWhatTheyNeed()
    {
        RunStore store(db("e.sqlite"));
        const int64_t id = store.createRun(record("radapter"), {{"set/val", "id-val"}, {"set/ood", "ood"}});
        for (int step = 1; step <= 300; ++step) {
            std::map<std::string, double> values{{"loss", 3.0 / step}, {"lr", 1e-3}};
            if (step % 100 == 0) values["acc/val"] = 0.5 + step / 1000.0, values["acc/ood"] = 0.4 - step / 2000.0;
            store.addMetrics(id, step, step * 0.1, values);
        }
        store.addMetrics(id, 300, 31, {{"final/val", 0.81}, {"final/ood", 0.25}});
        const auto few = store.summaryMetrics(id);
        QCOMPARE(few.size(), size_t(3 * 2 + 2 + 1)); // acc at 100, 200, 300; final; the last loss
        QCOMPARE(few.back().key, std::string("loss"));
        QCOMPARE(few.back().step, int64_t(300));
        const RunSummary fromFew = summarizeRun(store, id), fromAll = summarizeRun(store.metrics(id), store.params(id));
        QCOMPARE(fromFew.lastId, fromAll.lastId);
        QCOMPARE(fromFew.bestId, fromAll.bestId);
        QCOMPARE(fromFew.lastOod, fromAll.lastOod);
        QCOMPARE(fromFew.bestOod, fromAll.bestOod);
        QCOMPARE(fromFew.steps, fromAll.steps);
        QCOMPARE(fromFew.idSet, std::string("val"));
        QCOMPARE(fromFew.lastId, 0.81);
        QCOMPARE(fromFew.bestOod, 0.35);
    }

    void staleRunsBecomeInterrupted()
    {
        RunStore store(db("c.sqlite"));
        RunRecord dead = record("radapter");
        dead.pid = 999999; // no such process
        const int64_t deadId = store.createRun(dead, {});
        RunRecord alive = record("radapter");
        alive.pid = QCoreApplication::applicationPid();
        const int64_t aliveId = store.createRun(alive, {});
        QCOMPARE(store.markStaleRunsInterrupted(), 1);
        QCOMPARE(store.run(deadId).status, RunStatus::Interrupted);
        QCOMPARE(store.run(aliveId).status, RunStatus::Running);
    }

    // A run still training (its process exists) is not deleted from under it; a stale one is.
    void runningRunsAreNotDeleted()
    {
        RunStore store(db("d.sqlite"));
        RunRecord alive = record("radapter");
        alive.pid = QCoreApplication::applicationPid();
        const int64_t aliveId = store.createRun(alive, {});
        const QString message = test::errorOf([&] { store.deleteRun(aliveId); });
        QVERIFY2(message.contains("d.sqlite: run 1 is still training (process"), qPrintable(message));
        QCOMPARE(store.run(aliveId).status, RunStatus::Running);
        RunRecord dead = record("radapter");
        dead.pid = 999999; // no such process: the run was killed
        const int64_t deadId = store.createRun(dead, {});
        store.deleteRun(deadId);
        QVERIFY_THROWS_EXCEPTION(Error, store.run(deadId));
        store.setStatus(aliveId, RunStatus::Finished);
        store.deleteRun(aliveId);
        QVERIFY_THROWS_EXCEPTION(Error, store.run(aliveId));
    }

    // Compacting gives a deleted run's space back and keeps every other run as it was; refused
    // while a run trains (VACUUM would hold the write lock its metrics wait for).
    void compactGivesDeletedSpaceBack()
    {
        RunStore store(db("compact.sqlite"));
        const int64_t big = store.createRun(record("radapter"), {{"lr", "0.001"}});
        for (int step = 0; step < 4000; ++step)
            store.addMetrics(big, step, step, {{"loss", 1.0 / (step + 1)}, {"lr", 0.001}, {"acc/val", 0.5}});
        store.setStatus(big, RunStatus::Finished);
        const int64_t kept = store.createRun(record("finetune"), {{"lr", "0.0001"}});
        store.addMetrics(kept, 10, 1.5, {{"acc/val", 0.75}});
        store.addTag(kept, "keep");
        store.setStatus(kept, RunStatus::Finished);
        RunRecord alive = record("radapter");
        alive.pid = QCoreApplication::applicationPid();
        const int64_t training = store.createRun(alive, {});
        const QString message = test::errorOf([&] { store.compact(); });
        QVERIFY2(message.contains("compact.sqlite: run 3 is still training (process"), qPrintable(message));
        store.setStatus(training, RunStatus::Interrupted);
        store.deleteRun(big);
        const auto [before, after] = store.compact();
        QVERIFY2(after < before / 2, qPrintable(QStringLiteral("%1 -> %2 bytes").arg(before).arg(after)));
        QCOMPARE(qint64(after), QFileInfo(QString::fromStdString(db("compact.sqlite"))).size()); // the log is empty
        QCOMPARE(store.integrityCheck(), std::string("ok"));
        QCOMPARE(store.listRuns().size(), size_t(2));
        QCOMPARE(store.params(kept).at("lr"), std::string("0.0001"));
        QCOMPARE(store.run(kept).tags, std::vector<std::string>{"keep"});
        const auto metrics = store.metrics(kept);
        QCOMPARE(metrics.size(), size_t(1));
        QCOMPARE(metrics[0].value, 0.75);
        store.addMetrics(kept, 11, 2, {{"acc/val", 0.8}}); // still writable as before
    }

    // Deleting with files removes only the run's own folder in the store's runs folder: a state
    // path anywhere else (an older version's, a hand-edited store) is never removed.
    void deletingFilesTakesOnlyTheRunsOwnFolder()
    {
        RunStore store(db("files.sqlite"));
        const int64_t own = store.createRun(record("radapter"), {});
        const std::string folder = store.createRunDirectory(own);
        store.setStatePath(own, folder + "/state.pt");
        std::ofstream(folder + "/state.pt") << std::string(1000, 'x');
        const RunRecord ownRecord = store.run(own);
        QCOMPARE(store.runFiles(ownRecord), folder);
        QCOMPARE(store.runFilesBytes(ownRecord), int64_t(1000));
        const int64_t elsewhere = store.createRun(record("radapter"), {});
        QDir(m_dir.path()).mkpath("mine");
        const std::string mine = (m_dir.path() + "/mine/state.pt").toStdString();
        std::ofstream(mine) << "y";
        store.setStatePath(elsewhere, mine);
        QCOMPARE(store.runFiles(store.run(elsewhere)), std::string());
        store.deleteRun(elsewhere, true);
        QVERIFY(QFile::exists(QString::fromStdString(mine)));
        store.deleteRun(own, true);
        QVERIFY(!QFileInfo::exists(QString::fromStdString(folder)));
        QVERIFY(QFileInfo::exists(QString::fromStdString(store.runsFolder())));
    }

    // A run's note: set, replaced, cleared, in the JSON export, gone with the run (a new run that
    // gets the id SQLite reuses starts without it), refused for a run that does not exist.
    void notesBelongToTheirRun()
    {
        RunStore store(db("notes.sqlite"));
        const int64_t id = store.createRun(record("radapter"), {});
        QCOMPARE(store.run(id).note, std::string());
        store.setNote(id, "lr 0.01: faster, the chosen alpha fell\nsecond line");
        QCOMPARE(store.run(id).note, std::string("lr 0.01: faster, the chosen alpha fell\nsecond line"));
        store.setNote(id, "replaced");
        QCOMPARE(store.run(id).note, std::string("replaced"));
        QVERIFY(QString::fromStdString(store.exportJson({id})).contains("\"note\": \"replaced\""));
        store.setNote(id, "");
        QCOMPARE(store.run(id).note, std::string());
        store.setNote(id, "kept until the run goes");
        store.deleteRun(id);
        const int64_t again = store.createRun(record("radapter"), {});
        QCOMPARE(again, id); // SQLite reuses the largest id
        QCOMPARE(store.run(again).note, std::string());
        try {
            store.setNote(again + 5, "nobody");
            QFAIL("a note was stored for a run that does not exist");
        } catch (const Error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("no run"), e.what());
        }
    }

    // A store of schema 1 (before notes) reads as it is when only read, its runs without notes, and
    // is upgraded when opened to be written; its runs and metrics stay.
    // Deleting keeps the runs in the store's trash, one file per deletion, newest first, readable by
    // another process later; restoring brings every record back and takes the deletion out of the
    // trash; a deletion that would take a training run deletes and keeps nothing; emptying removes
    // every deletion for good.
    void trashKeepsDeletionsUntilEmptied()
    {
        const std::string path = db("trash.sqlite");
        std::string before;
        {
            RunStore store(path);
            for (const char* m : {"finetune", "radapter", "lora"}) {
                const int64_t id = store.createRun(record(m), {{"lr", "1e-3"}});
                store.addMetrics(id, 5, 1.0, {{"acc/val", 0.5 + 0.1 * id}});
                store.setStatus(id, RunStatus::Finished, "done");
            }
            store.addTag(2, "kept");
            store.setNote(3, "why");
            before = store.exportJson({});
            deleteRunsToTrash(store, {1}, false);
            deleteRunsToTrash(store, {2, 3}, false);
            QCOMPARE(store.listRuns().size(), size_t(0));
        }
        RunStore store(path); // another session
        const auto deletions = trashedDeletions(store);
        QCOMPARE(deletions.size(), size_t(2));
        QCOMPARE(trashedDeletionCount(store), size_t(2));
        QCOMPARE(trashedDeletions(store, 1).at(0).path, deletions[0].path);
        QCOMPARE(trashedDeletions(store, 1).size(), size_t(1));
        QCOMPARE(deletions[0].runs.size(), size_t(2)); // the newest first
        QCOMPARE(deletions[0].runs[0].id, int64_t(2));
        QCOMPARE(deletions[0].runs[1].method, std::string("lora"));
        QCOMPARE(deletions[1].runs[0].id, int64_t(1));
        QVERIFY(deletions[0].bytes > 0 && deletions[0].deletedAt.size() == 20);
        QVERIFY(QString::fromStdString(deletions[0].path).startsWith(QString::fromStdString(trashFolder(store))));
        QCOMPARE(restoreDeletion(store, deletions[0]), (std::vector<int64_t>{2, 3}));
        QCOMPARE(restoreDeletion(store, trashedDeletions(store).at(0)), (std::vector<int64_t>{1}));
        QCOMPARE(trashedDeletionCount(store), size_t(0));
        QCOMPARE(store.exportJson({}), before); // every record as it was
        // A run that trains refuses the whole deletion: nothing deleted, nothing kept.
        store.setStatus(2, RunStatus::Running);
        store.setPid(2, QCoreApplication::applicationPid());
        QVERIFY_THROWS_EXCEPTION(Error, deleteRunsToTrash(store, {1, 2}, false));
        QCOMPARE(store.listRuns().size(), size_t(3));
        QCOMPARE(trashedDeletionCount(store), size_t(0));
        QVERIFY_THROWS_EXCEPTION(Error, deleteRunsToTrash(store, {1, 9}, false)); // no run 9
        QCOMPARE(store.listRuns().size(), size_t(3));
        deleteRunsToTrash(store, {1}, false);
        QVERIFY(emptyTrash(store) > 0);
        QCOMPARE(trashedDeletionCount(store), size_t(0));
        QCOMPARE(store.listRuns().size(), size_t(2));
        // A damaged deletion file is listed without runs, and restoring it names the file.
        deleteRunsToTrash(store, {3}, false);
        const std::string file = trashedDeletions(store).at(0).path;
        std::ofstream(file) << "[{\"id\": 3, \"method\": ";
        QVERIFY(trashedDeletions(store).at(0).runs.empty());
        try {
            restoreDeletion(store, trashedDeletions(store).at(0));
            QFAIL("a damaged deletion was restored");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains(QString::fromStdString(file)), e.what());
        }
        QVERIFY(QFileInfo::exists(QString::fromStdString(file))); // kept: nothing was restored from it
        // Many deletions within a second are listed in the order they were made, newest first.
        emptyTrash(store);
        std::vector<int64_t> made;
        for (int i = 0; i < 12; ++i) made.push_back(store.createRun(record("lora"), {}));
        for (int64_t id : made) deleteRunsToTrash(store, {id}, false);
        std::vector<int64_t> listed;
        for (const auto& d : trashedDeletions(store)) listed.push_back(d.runs.at(0).id);
        QCOMPARE(listed, std::vector<int64_t>(made.rbegin(), made.rend()));
    }

    // A deletion with files takes each run's own folder into the trash (its size counted), restoring
    // brings it back to its place, or to a new folder of the run's where a run made since has the
    // name (the folder is named by the id SQLite gave both); emptying the trash removes it.
    void trashKeepsTheCheckpointsOfADeletionWithFiles()
    {
        RunStore store(db("trash-files.sqlite"));
        auto runWithState = [&](const std::string& bytes) {
            RunRecord r = record("radapter");
            r.name = bytes.substr(0, 8); // not the same run as another made in the same second
            const int64_t id = store.createRun(r, {});
            const std::string folder = store.createRunDirectory(id);
            store.setStatePath(id, folder + "/state.pt");
            std::ofstream(folder + "/state.pt") << bytes;
            return id;
        };
        auto stateOf = [&](int64_t id) {
            std::ifstream in(store.run(id).statePath);
            return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        };
        const int64_t older = runWithState(std::string(3000, 'a'));
        const int64_t newest = runWithState(std::string(5000, 'b'));
        const std::string olderFolder = store.runFiles(store.run(older));
        const std::string newestFolder = store.runFiles(store.run(newest));
        const TrashedDeletion deletion = deleteRunsToTrash(store, {newest}, true);
        QVERIFY(!QFileInfo::exists(QString::fromStdString(newestFolder)));
        QCOMPARE(deletion.filesBytes, uintmax_t(5000));
        QVERIFY(deletion.bytes > deletion.filesBytes);
        QVERIFY(QString::fromStdString(deletion.filesFolder).startsWith(QString::fromStdString(trashFolder(store))));
        // A new run takes the id, and with it the folder's name.
        const int64_t later = runWithState("later");
        QCOMPARE(later, newest);
        QCOMPARE(store.runFiles(store.run(later)), newestFolder);
        const std::vector<int64_t> back = restoreDeletion(store, trashedDeletions(store).at(0));
        QCOMPARE(back.size(), size_t(1));
        QVERIFY(back[0] != later);
        QCOMPARE(stateOf(back[0]), std::string(5000, 'b'));
        QVERIFY(store.runFiles(store.run(back[0])) != newestFolder); // a folder of its own
        QCOMPARE(stateOf(later), std::string("later"));
        QVERIFY(!QFileInfo::exists(QString::fromStdString(deletion.filesFolder)));
        // Nothing took the older run's name: its folder comes back where it was.
        deleteRunsToTrash(store, {older}, true);
        QVERIFY(!QFileInfo::exists(QString::fromStdString(olderFolder)));
        restoreDeletion(store, trashedDeletions(store).at(0));
        QCOMPARE(store.runFiles(store.run(older)), olderFolder);
        QCOMPARE(stateOf(older), std::string(3000, 'a'));
        // Emptying gives the space back: the files are gone from the disk.
        deleteRunsToTrash(store, {older, back[0]}, true);
        QCOMPARE(trashedDeletions(store).at(0).filesBytes, uintmax_t(8000));
        QVERIFY(emptyTrash(store) > 8000);
        QCOMPARE(QDir(QString::fromStdString(trashFolder(store))).entryList(QDir::NoDotAndDotDot | QDir::AllEntries),
                 QStringList());
        QCOMPARE(stateOf(later), std::string("later"));
    }

    // Undoing a delete brings every deleted run back, also when a run made since took a deleted
    // run's id (SQLite gives a new run the highest id + 1, so deleting the newest run frees its id
    // for the next): under a new id then, never left out. A run that was not deleted after all is
    // left out, not doubled.
    void restoreKeepsARunWhoseIdANewRunTook()
    {
        RunStore store(db("restore-taken.sqlite"));
        const int64_t first = store.createRun(record("finetune"), {{"lr", "1e-4"}});
        const int64_t newest = store.createRun(record("radapter"), {{"lr", "3e-3"}});
        store.addMetrics(newest, 5, 1.0, {{"acc/val", 0.75}});
        const std::string deleted = store.exportJson({newest});
        store.deleteRun(newest);
        const int64_t later = store.createRun(record("lora"), {{"lr", "1e-3"}});
        QCOMPARE(later, newest); // the id was given again, so the case below can happen
        const std::vector<int64_t> back = store.importRuns(deleted, "the deleted runs", /*restore=*/true);
        QCOMPARE(back.size(), size_t(1));
        QVERIFY(back[0] != first && back[0] != later);
        QCOMPARE(store.run(back[0]).method, std::string("radapter"));
        QCOMPARE(store.params(back[0]).at("lr"), std::string("3e-3"));
        QCOMPARE(store.metrics(back[0]).size(), size_t(1));
        QCOMPARE(store.run(later).method, std::string("lora"));
        QVERIFY(store.importRuns(store.exportJson({first}), "the deleted runs", true).empty());
        QCOMPARE(store.listRuns().size(), size_t(3));
    }

    void schemaOneStoresReadAndUpgrade()
    {
        const std::string path = db("schema1.sqlite");
        int64_t id = 0;
        {
            RunStore store(path);
            id = store.createRun(record("finetune"), {{"lr", "1e-4"}});
            store.addMetrics(id, 5, 1.0, {{"acc/val", 0.75}});
        }
        { // what version 1 wrote: no notes table
            sqlite3* raw = nullptr;
            sqlite3_open(path.c_str(), &raw);
            QCOMPARE(sqlite3_exec(raw, "DROP TABLE notes; PRAGMA user_version=1", nullptr, nullptr, nullptr),
                     SQLITE_OK);
            sqlite3_close(raw);
        }
        {
            RunStore old(path, RunStore::Access::ReadOnly);
            QCOMPARE(old.run(id).method, std::string("finetune"));
            QCOMPARE(old.run(id).note, std::string());
        }
        auto version = [&] {
            sqlite3* raw = nullptr;
            sqlite3_open(path.c_str(), &raw);
            sqlite3_stmt* q = nullptr;
            sqlite3_prepare_v2(raw, "PRAGMA user_version", -1, &q, nullptr);
            sqlite3_step(q);
            const int v = sqlite3_column_int(q, 0);
            sqlite3_finalize(q);
            sqlite3_close(raw);
            return v;
        };
        QCOMPARE(version(), 1); // reading changed nothing
        RunStore upgraded(path, RunStore::Access::ExistingReadWrite);
        QCOMPARE(version(), RunStore::kSchemaVersion);
        upgraded.setNote(id, "the baseline");
        QCOMPARE(upgraded.run(id).note, std::string("the baseline"));
        QCOMPARE(upgraded.metrics(id, "acc/val").size(), size_t(1));
    }

    void refusesForeignAndNewerFiles()
    {
        std::ofstream(db("text.sqlite"))
            << "this is not a database, just some text that is long enough to look like a header";
        try {
            RunStore bad(db("text.sqlite"));
            QFAIL("a text file was opened as a run database");
        } catch (const Error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("text.sqlite"), e.what());
        }
        {
            RunStore made(db("future.sqlite"));
        } // a store, as a later version would find it
        QVERIFY(sqlite(db("future.sqlite"), "PRAGMA user_version=42"));
        for (const auto access : {RunStore::Access::ReadWrite, RunStore::Access::ReadOnly}) {
            try {
                RunStore future(db("future.sqlite"), access);
                QFAIL("a newer schema was accepted");
            } catch (const Error& e) {
                QVERIFY2(QString::fromUtf8(e.what()).contains("newer version"), e.what());
            }
        }
    }

    // Another program's SQLite database given as the store (a mistyped --db, a wrong file chosen):
    // every kind of opening refuses it with one sentence and leaves its bytes as they were. Before,
    // opening it to write turned it into WAL mode and added the store's tables beside its own.
    void leavesAnotherProgramsDatabaseAsItWas_data()
    {
        QTest::addColumn<QString>("setup");
        QTest::newRow("its own tables") << "CREATE TABLE contacts(id INTEGER PRIMARY KEY, name TEXT);"
                                           "INSERT INTO contacts(name) VALUES('Ada')";
        QTest::newRow("a table named as one of the store's") << "CREATE TABLE notes(body TEXT);"
                                                                "INSERT INTO notes VALUES('keep me')";
        QTest::newRow("a schema version, the store's tables missing") << "CREATE TABLE items(x);PRAGMA user_version=2";
        QTest::newRow("another program's application id, no tables yet") << "PRAGMA application_id=1179403647";
    }
    void leavesAnotherProgramsDatabaseAsItWas()
    {
        QFETCH(QString, setup);
        const std::string path = db("other-program.db");
        QFile::remove(QString::fromStdString(path));
        QVERIFY(sqlite(path, setup.toStdString()));
        const std::string before = readText(path);
        for (const auto access :
             {RunStore::Access::ReadWrite, RunStore::Access::ExistingReadWrite, RunStore::Access::ReadOnly}) {
            try {
                RunStore store(path, access);
                QFAIL("another program's database was opened as a run store");
            } catch (const Error& e) {
                const QString what = QString::fromUtf8(e.what());
                QVERIFY2(what.startsWith(QString::fromStdString(path) + ": ") && what.contains("another program"),
                         e.what());
            }
            QVERIFY(readText(path) == before);
            QVERIFY(!QFile::exists(QString::fromStdString(path + "-wal")));
            QVERIFY(!QFile::exists(QString::fromStdString(path + "-runs")));
        }
    }

    // An empty file (made by touch, or by an opening that was stopped) is a store not made yet.
    void emptyFileIsAStoreNotMadeYet()
    {
        const std::string path = db("empty.sqlite");
        std::ofstream{path};
        for (const auto access : {RunStore::Access::ReadOnly, RunStore::Access::ExistingReadWrite}) {
            try {
                RunStore store(path, access);
                QFAIL("an empty file was opened as an existing run store");
            } catch (const Error& e) {
                QVERIFY2(QString::fromUtf8(e.what()).contains("no run store here yet"), e.what());
            }
            QCOMPARE(QFileInfo(QString::fromStdString(path)).size(), qint64(0));
        }
        RunStore store(path);
        const int64_t id = store.createRun(record("radapter"), {});
        QCOMPARE(RunStore(path, RunStore::Access::ReadOnly).run(id).method, std::string("radapter"));
    }

    // A new store says whose it is in SQLite's header (PRAGMA application_id, bytes 68-71, where
    // file(1) and other tools look); stores from before the mark are still known by their tables.
    void storesCarryTheirMark()
    {
        const std::string path = db("marked.sqlite");
        {
            RunStore store(path);
        }
        std::ifstream in(path, std::ios::binary);
        std::string header(100, '\0');
        in.read(header.data(), 100);
        QCOMPARE(header.substr(68, 4), std::string("RAdS"));
        QVERIFY(sqlite(path, "PRAGMA application_id=0")); // as a store written before the mark
        RunStore older(path, RunStore::Access::ReadOnly);
        QVERIFY(older.listRuns().empty());
    }

    // A store this process has open is never opened a second time to peek at it (a "save as" or an
    // import naming it): closing that descriptor would drop SQLite's POSIX locks on the file, and
    // another process's writes could then corrupt the store. Found by tst_studio, whose store was
    // "malformed" after a check read it while the Studio had it open. Other files are read while
    // this process has them open (another thread reading the same project or image).
    void aStoreThisProcessHasOpenIsNeverPeekedAt()
    {
        const std::string path = db("open.sqlite");
        {
            RunStore store(path);
            store.createRun(record("radapter"), {});
            QVERIFY(isLockedByThisProcess(path));
            QVERIFY(isLockedByThisProcess(path + "-wal"));
            QVERIFY(!isLockedByThisProcess(db("")) && !isLockedByThisProcess(db("missing")));
            const RunStore reader(path, RunStore::Access::ReadOnly); // a second connection beside it
            for (const auto& attempt : std::vector<std::function<void()>>{
                     [&] { readInputFile(path, "runs export"); }, [&] { checkSaveAsTarget(path); },
                     [&] { Project::checkSaveTarget(path); }, [&] { store.importRunFile(path); },
                     [&] { decodeImage(path); }}) { // Your images, dropped on the window
                try {
                    attempt();
                    QFAIL("the open store was read");
                } catch (const Error& e) {
                    QVERIFY2(QString::fromUtf8(e.what()).contains("a run store this program has open"), e.what());
                }
            }
        }
        QVERIFY(!isLockedByThisProcess(path));
        try { // closed: now it is looked at, and is what it is
            checkSaveAsTarget(path);
            QFAIL("a run store was replaceable");
        } catch (const Error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("SQLite database"), e.what());
        }
        std::ofstream(db("names.txt")) << "zero\none\n";
        std::ifstream alreadyOpen(db("names.txt"));
        QCOMPARE(readInputFile(db("names.txt"), "class names file"), std::string("zero\none\n"));
    }

    // Several processes opening one new store at the same moment (two trainings started together):
    // each makes or finds the store; none fails on tables another has just created.
    void openingANewStoreTogether()
    {
        const std::string path = db("together.sqlite");
        std::vector<std::thread> threads;
        std::atomic<int> failures{0};
        std::mutex messageLock;
        std::string message;
        for (int i = 0; i < 6; ++i)
            threads.emplace_back([&] {
                try {
                    RunStore store(path);
                    store.createRun(record("radapter"), {});
                } catch (const std::exception& e) {
                    ++failures;
                    const std::lock_guard<std::mutex> lock(messageLock);
                    message = e.what();
                }
            });
        for (auto& t : threads) t.join();
        QVERIFY2(failures == 0, message.c_str());
        QCOMPARE(RunStore(path, RunStore::Access::ReadOnly).listRuns().size(), size_t(6));
    }

    // One summary for every view: ID from validation when evaluated (else test), OOD the mean of
    // the sets whose stored role is OOD, the final evaluation last; roles from the run's params,
    // from the names for runs recorded before roles were stored.
    void summaryReadsStoredRoles()
    {
        RunStore store(db("summary.sqlite"));
        // "sketch" is stored as an ID test set here, so it must not enter the OOD average.
        const int64_t id = store.createRun(
            record("radapter"),
            {{"set/val", "id-val"}, {"set/sketch", "id-test"}, {"set/uci", "ood"}, {"set/print", "ood"}});
        store.addMetrics(id, 10, 1,
                         {{"acc/val", 0.6}, {"acc/sketch", 0.1}, {"acc/uci", 0.5}, {"acc/print", 0.7}, {"loss", 1}});
        store.addMetrics(id, 20, 2, {{"acc/val", 0.8}, {"acc/sketch", 0.1}, {"acc/uci", 0.3}, {"acc/print", 0.5}});
        store.addMetrics(id, 20, 0, {{"final/val", 0.7}, {"final/uci", 0.2}, {"final/print", 0.4}});
        RunSummary s = summarizeRun(store, id);
        QCOMPARE(QString::fromStdString(s.idSet), QStringLiteral("val"));
        QCOMPARE(s.lastId, 0.7);
        QCOMPARE(s.bestId, 0.8);
        QCOMPARE(s.lastOod, 0.3);
        QCOMPARE(s.bestOod, 0.6);
        QCOMPARE(s.steps, int64_t(20));
        QCOMPARE(storedSetRoles(store.metrics(id), store.params(id)).at("sketch"), SetRole::IdTest);

        const int64_t old = store.createRun(record("finetune"), {{"lr", "0.001"}});
        store.addMetrics(old, 5, 1, {{"acc/test", 0.9}, {"acc/uci", 0.4}});
        s = summarizeRun(store, old);
        QCOMPARE(QString::fromStdString(s.idSet), QStringLiteral("test"));
        QCOMPARE(s.lastId, 0.9);
        QCOMPARE(s.lastOod, 0.4);
        const RunSummary none = summarizeRun(store, store.createRun(record("zeroshot"), {}));
        QVERIFY(none.lastId < 0 && none.lastOod < 0 && none.idSet.empty());
    }

    // The alpha a run's accuracies were measured at: the one it recorded, else its method's
    // default or its own alpha setting (runs recorded before eval_alpha was stored).
    void summaryNamesTheEvaluationAlpha()
    {
        using Params = std::map<std::string, std::string>;
        QCOMPARE(evaluationAlpha(Params{{"method", "radapter"}, {"alpha", "-1"}, {"eval_alpha", "0.8"}}), 0.8);
        QCOMPARE(evaluationAlpha(Params{{"method", "radapter"}, {"alpha", "-1"}}), 0.5);
        QCOMPARE(evaluationAlpha(Params{{"method", "radapter"}, {"alpha", "1.2"}}), 1.2);
        QCOMPARE(evaluationAlpha(Params{{"method", "finetune"}, {"alpha", "-1"}}), 1.0);
        QCOMPARE(evaluationAlpha(Params{{"method", "wise-ft"}}), 0.5);
        QCOMPARE(evaluationAlpha(Params{}), 1.0);
        QCOMPARE(evaluationAlpha(Params{{"method", "no-such-method"}}), 1.0);
        RunStore store(db("alpha.sqlite"));
        const int64_t id = store.createRun(record("radapter"), {{"method", "radapter"}, {"eval_alpha", "0.5"}});
        QCOMPARE(summarizeRun(store, id).alpha, 0.5);
    }

    // The API can only write the four statuses; the schema refuses others, and a file whose
    // check was bypassed by hand is reported with its path, not read as some status.
    void rejectsUnknownStatus()
    {
        const int64_t id = RunStore(db("d.sqlite")).createRun(record("radapter"), {});
        sqlite3* raw = nullptr;
        sqlite3_open(db("d.sqlite").c_str(), &raw);
        QVERIFY(sqlite3_exec(raw, "UPDATE runs SET status='exploded'", nullptr, nullptr, nullptr) != SQLITE_OK);
        sqlite3_exec(raw, "PRAGMA ignore_check_constraints=ON; UPDATE runs SET status='exploded'", nullptr, nullptr,
                     nullptr);
        sqlite3_close(raw);
        try {
            RunStore(db("d.sqlite")).run(id);
            QFAIL("an unknown status was read");
        } catch (const Error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("d.sqlite") &&
                         QString::fromUtf8(e.what()).contains("exploded"),
                     e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestRunStore)
#include "tst_runstore.moc"
