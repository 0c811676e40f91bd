// The SQLite run store on real database files: records, metrics, alpha evaluations, tags,
// deletion, export, stale-run detection and refusal of foreign or newer files.
#include "store/runstore.h"
#include "testutil.h"
#include "util/error.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <fstream>
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
        store.addArtifact(id, "merged-openai", "/tmp/x.safetensors");
        store.setStatus(id, "finished");

        RunStore again(db("a.sqlite"));
        const RunRecord r = again.run(id);
        QCOMPARE(QString::fromStdString(r.status), QStringLiteral("finished"));
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
        QCOMPARE(store.run(deadId).status, std::string("interrupted"));
        QCOMPARE(store.run(aliveId).status, std::string("running"));
    }

    void refusesForeignAndNewerFiles()
    {
        std::ofstream(db("text.sqlite")) << "this is not a database, just some text that is long enough to look like a header";
        try {
            RunStore bad(db("text.sqlite"));
            QFAIL("a text file was opened as a run database");
        } catch (const Error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("text.sqlite"), e.what());
        }
        {
            sqlite3* raw = nullptr;
            sqlite3_open(db("future.sqlite").c_str(), &raw);
            sqlite3_exec(raw, "PRAGMA user_version=42", nullptr, nullptr, nullptr);
            sqlite3_close(raw);
        }
        try {
            RunStore future(db("future.sqlite"));
            QFAIL("a newer schema was accepted");
        } catch (const Error& e) {
            QVERIFY(QString::fromUtf8(e.what()).contains("newer version"));
        }
    }

    void rejectsUnknownStatus()
    {
        RunStore store(db("d.sqlite"));
        const int64_t id = store.createRun(record("radapter"), {});
        QVERIFY_THROWS_EXCEPTION(Error, store.setStatus(id, "exploded"));
        QCOMPARE(store.run(id).status, std::string("running"));
    }
};

QTEST_GUILESS_MAIN(TestRunStore)
#include "tst_runstore.moc"
