// The SQLite run store on real database files: records, metrics, alpha evaluations, tags,
// deletion, export, stale-run detection and refusal of foreign or newer files.
#include "store/runstore.h"
#include "testutil.h"
#include "util/error.h"

#include <QTemporaryDir>
#include <QTest>
#include <fstream>
#include <sqlite3.h>

using namespace ra;

class TestRunStore : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string db(const char* name) { return (m_dir.path() + "/" + name).toStdString(); }

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
