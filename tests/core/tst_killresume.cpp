// Kill the real `radapter train` with SIGKILL at random moments, resume it each time, and check
// that the database stays intact, the killed run is marked interrupted, and the resumed run ends
// with exactly the weights and metrics of an uninterrupted run with the same seed.
#include "enginefixture.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <torch/torch.h>

#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>
#include <sqlite3.h>

namespace {

QString integrity(const QString& db)
{
    sqlite3* raw = nullptr;
    if (sqlite3_open_v2(db.toUtf8().constData(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
        return "cannot open";
    QString result = "no answer";
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &st, nullptr);
    if (sqlite3_step(st) == SQLITE_ROW)
        result = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    sqlite3_close(raw);
    return result;
}

// The last step RUN has recorded (its loss), read from the store while it trains (WAL lets a
// reader in beside the writer); -1 before the first or while the store cannot be read.
int lastStep(const QString& db, int run)
{
    sqlite3* raw = nullptr;
    int step = -1;
    if (sqlite3_open_v2(db.toUtf8().constData(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_busy_timeout(raw, 1000);
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(raw, "SELECT MAX(step) FROM metrics WHERE run_id = ?1 AND key = 'loss'", -1, &st,
                               nullptr) == SQLITE_OK) {
            sqlite3_bind_int(st, 1, run);
            if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
                step = sqlite3_column_int(st, 0);
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(raw);
    return step;
}

nlohmann::json show(const QString& db, int id)
{
    QProcess p;
    p.start(RA_CLI, {"--db", db, "runs", "show", QString::number(id)});
    p.waitForFinished(60000);
    return nlohmann::json::parse(p.readAllStandardOutput().toStdString())[0];
}

} // namespace

class TestKillResume : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void killedRunsResumeExactly()
    {
        RA_REQUIRE_GOLDEN();
        const QString project = ra::test::makeColourWorld(m_dir.path());
        const QStringList settings = {"--set", "steps=150",     "--set",  "checkpoint_every=5",
                                      "--set", "eval_every=50", "--quiet"};
        const QString reference = m_dir.path() + "/reference.sqlite", killed = m_dir.path() + "/killed.sqlite";

        QProcess full;
        full.start(RA_CLI, QStringList{"--db", reference, "train", "--project", project} + settings);
        QVERIFY(full.waitForFinished(300000));
        QCOMPARE(full.exitCode(), 0);

        int id = 0, kills = 0;
        for (int attempt = 0; attempt < 12; ++attempt) {
            QProcess p;
            const QStringList args = id == 0
                ? QStringList{"--db", killed, "train", "--project", project} + settings
                : QStringList{"--db", killed, "train", "--resume", QString::number(id), "--quiet"};
            p.start(RA_CLI, args);
            QVERIFY(p.waitForStarted());
            if (id == 0) {
                QTRY_VERIFY_WITH_TIMEOUT(p.canReadLine(), 60000);
                id = QString::fromUtf8(p.readLine()).split(' ').value(1).trimmed().toInt();
                QVERIFY(id > 0);
            }
            if (attempt < 3) {
                // Kill at a random step ahead of where the run stands, found by watching the store,
                // not the clock: after a fixed wait a fast machine had finished all 150 steps.
                const int target = std::min(
                    std::max(0, lastStep(killed, id)) + 5 + int(QRandomGenerator::global()->bounded(40)), 140);
                while (p.state() == QProcess::Running && lastStep(killed, id) < target) QTest::qWait(2);
                if (p.state() == QProcess::Running) {
                    p.kill(); // SIGKILL
                    p.waitForFinished();
                    QCOMPARE(integrity(killed), QStringLiteral("ok"));
                    const auto status = show(killed, id)["status"].get<std::string>();
                    if (status == "finished") break; // it won the race and completed
                    QCOMPARE(status, std::string("interrupted"));
                    ++kills;
                    continue;
                }
            }
            if (p.state() != QProcess::NotRunning) QVERIFY(p.waitForFinished(300000));
            QCOMPARE(p.exitCode(), 0);
            break;
        }
        QVERIFY(kills >= 1);
        const auto a = show(reference, 1), b = show(killed, id);
        QCOMPARE(b["status"].get<std::string>(), std::string("finished"));
        auto finals = [](const nlohmann::json& run) {
            std::map<std::string, double> out;
            for (const auto& m : run["metrics"])
                if (m["key"].get<std::string>().rfind("final/", 0) == 0) out[m["key"]] = m["value"];
            return out;
        };
        QVERIFY(!finals(a).empty());
        QVERIFY(finals(a) == finals(b));
        // Every step recorded once, with the uninterrupted run's values: a resume removes what the
        // killed process had recorded after its last checkpoint before it repeats those steps.
        auto series = [](const nlohmann::json& run) {
            std::vector<std::pair<int64_t, double>> out;
            for (const auto& m : run["metrics"])
                if (m["key"] == "loss") out.emplace_back(m["step"].get<int64_t>(), m["value"].get<double>());
            std::sort(out.begin(), out.end());
            return out;
        };
        QCOMPARE(series(a).size(), size_t(150));
        QVERIFY(series(a) == series(b));
        torch::serialize::InputArchive x, y;
        // Each store keeps its runs' files in its own folder (RunStore::runsFolder), so the two
        // checkpoints are two files.
        const std::string referenceState = a["state"], killedState = b["state"];
        QCOMPARE(QString::fromStdString(referenceState), m_dir.path() + "/reference.sqlite-runs/1/state.pt");
        QCOMPARE(QString::fromStdString(killedState),
                 m_dir.path() + "/killed.sqlite-runs/" + QString::number(id) + "/state.pt");
        x.load_from(referenceState);
        y.load_from(killedState);
        for (const std::string key :
             {"state/ema/visual.0.attn.weight", "state/live/text.1.mlp.weight", "state/live/visual.1.attn.gate"}) {
            torch::Tensor u, v;
            x.read(key, u);
            y.read(key, v);
            QVERIFY2(torch::equal(u, v), key.c_str());
        }
    }

    // While a run trains, no other command takes it from under its training: a second resume
    // (two processes writing one checkpoint), sweep, eval and export (results of a passing
    // moment), delete (the training would fail at its next write). Each is one sentence, and the
    // training goes on to be stopped normally.
    void aTrainingRunIsNotTakenFromIt()
    {
        RA_REQUIRE_GOLDEN();
        const QString project = ra::test::makeColourWorld(m_dir.path() + "/busy");
        const QString db = m_dir.path() + "/busy.sqlite";
        QProcess training;
        training.start(RA_CLI,
                       {"--db", db, "train", "--project", project, "--set", "steps=100000", "--set", "eval_every=0",
                        "--set", "checkpoint_every=5", "--quiet"});
        QVERIFY(training.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(lastStep(db, 1) >= 5, 120000);
        const QList<QStringList> commands = {
            {"train", "--resume", "1"},
            {"sweep", "--run", "1", "--alphas", "0,1"},
            {"eval", "--run", "1", "--data", m_dir.path() + "/busy/ood"},
            {"export", "--run", "1", "--alpha", "1", "--out", m_dir.path() + "/busy.safetensors"},
            {"runs", "delete", "1"},
        };
        for (const QStringList& command : commands) {
            QProcess p;
            p.start(RA_CLI, QStringList{"--db", db} + command);
            QVERIFY(p.waitForFinished(120000));
            const QString err = QString::fromUtf8(p.readAllStandardError());
            // (eval refused running runs already, in its own words.)
            QVERIFY2(p.exitCode() == 1 && err.count('\n') == 1 &&
                         err.contains(QRegularExpression("run 1 is (still training \\(process |running;)")),
                     qPrintable(command.join(' ') + ": " + err));
        }
        QVERIFY(!QFile::exists(m_dir.path() + "/busy.safetensors"));
        QCOMPARE(training.state(), QProcess::Running);
        training.terminate(); // SIGTERM: stops after the step in flight, with a checkpoint
        QVERIFY(training.waitForFinished(120000));
        QCOMPARE(show(db, 1)["status"].get<std::string>(), std::string("interrupted"));
        QCOMPARE(integrity(db), QStringLiteral("ok"));
    }

    // A training started with SIGTERM ignored (as `nohup` ignores SIGHUP, and a script's
    // background job SIGINT) leaves it ignored; started normally it catches it, to stop with a
    // checkpoint. Read from the kernel's account of the process (/proc/PID/status) once the
    // training has begun.
    void ignoredStopSignalStaysIgnored()
    {
        RA_REQUIRE_GOLDEN();
        const QString project = ra::test::makeColourWorld(m_dir.path() + "/ignoring");
        for (const bool ignored : {false, true}) {
            const QString db = m_dir.path() + QStringLiteral("/ignoring-%1.sqlite").arg(ignored);
            QProcess training;
            if (ignored) training.setChildProcessModifier([] { ::signal(SIGTERM, SIG_IGN); });
            training.start(RA_CLI,
                           {"--db", db, "train", "--project", project, "--set", "steps=100000", "--set", "eval_every=0",
                            "--quiet"});
            QVERIFY(training.waitForStarted());
            QTRY_VERIFY_WITH_TIMEOUT(lastStep(db, 1) >= 1, 120000);
            QFile status(QStringLiteral("/proc/%1/status").arg(training.processId()));
            QVERIFY(status.open(QIODevice::ReadOnly));
            quint64 ignoredMask = 0, caughtMask = 0;
            for (const QByteArray& line : status.readAll().split('\n')) {
                if (line.startsWith("SigIgn:")) ignoredMask = line.mid(7).trimmed().toULongLong(nullptr, 16);
                if (line.startsWith("SigCgt:")) caughtMask = line.mid(7).trimmed().toULongLong(nullptr, 16);
            }
            const quint64 term = quint64(1) << (SIGTERM - 1);
            QCOMPARE(bool(ignoredMask & term), ignored);
            QCOMPARE(bool(caughtMask & term), !ignored);
            training.kill();
            QVERIFY(training.waitForFinished(120000));
        }
    }
};

QTEST_GUILESS_MAIN(TestKillResume)
#include "tst_killresume.moc"
