// Mistakes, bad arguments and full disks never lose data, never hang and never pass as success:
// the real `radapter` on a real run store, each case from issue #13 reproduced as a user would.
#include "enginefixture.h"
#include "io/atomicfile.h"

#include <nlohmann/json.hpp>

#include <filesystem>

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <zlib.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace {

struct Result {
    int exitCode = -1;
    QString out, err;
};

// Bounded: a command that hangs fails the test instead of stalling it.
Result cli(const QStringList& args, int timeoutMs = 120000)
{
    QProcess p;
    p.start(QStringLiteral(RA_CLI), args);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {-2, {}, QStringLiteral("timed out: ") + args.join(' ')};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QByteArray hashOf(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return "missing";
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

QStringList temporariesBelow(const QString& dir)
{
    QStringList found;
    QDirIterator it(dir, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString p = it.next();
        if (p.contains(QStringLiteral(".radapter-tmp-"))) found << p;
    }
    return found;
}

// A process id that is not running now (for a "killed" writer's leftovers).
int deadPid()
{
    for (int pid = 4000000; pid > 300000; pid -= 7777)
        if (::kill(pid, 0) != 0 && errno == ESRCH) return pid;
    return -1;
}

} // namespace

class TestDataLoss : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_project, m_model, m_db, m_state;

    QStringList withDb(const QStringList& args) const { return QStringList{"--db", m_db} + args; }
    QString embedAtZero() const
    {
        return cli(withDb({"embed", "--run", "1", "--alpha", "0", "--text", "a red square."})).out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        RA_REQUIRE_GOLDEN();
        // The run's base model is a copy, so a test that failed to protect it damages nothing shared.
        m_model = m_dir.path() + "/model.safetensors";
        QVERIFY(
            QFile::copy(QString::fromStdString(ra::test::goldenPath("clip-ref/openai_layout.safetensors")), m_model));
        m_project = ra::test::makeColourWorld(m_dir.path(), 6);
        QFile f(m_project);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray text = f.readAll();
        f.close();
        text.replace(QByteArray::fromStdString(ra::test::goldenPath("clip-ref/openai_layout.safetensors")),
                     m_model.toUtf8());
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
        f.close();
        m_db = m_dir.path() + "/store/runs.sqlite";
        const Result r = cli(
            withDb({"train", "--project", m_project, "--set", "steps=4", "--set", "eval_every=0", "--quiet"}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        m_state = m_dir.path() + "/store/runs/1/state.pt"; // RunStore::createRunDirectory
        QVERIFY(QFile::exists(m_state));
    }

    // Issue #13, case 2: the store, the project, the checkpoint and the base model are never
    // replaced, not even with --force, and the run gives the same numbers afterwards.
    void exportNeverReplacesItsInputs()
    {
        const QString before = embedAtZero();
        QVERIFY(!before.isEmpty());
        const QStringList inputs = {m_db, m_project, m_model, m_state};
        QList<QByteArray> hashes;
        for (const auto& p : inputs) hashes << hashOf(p);
        const QStringList targets = inputs +
            QStringList{m_dir.path() + "/store/runs/1/other.safetensors", m_dir.path() + "/store/runs"};
        for (const QString& target : targets)
            for (const bool force : {false, true}) {
                QStringList args = withDb({"export", "--run", "1", "--out", target});
                if (force) args << "--force";
                const Result r = cli(args);
                QVERIFY2(r.exitCode == 1, qPrintable(target + ": " + r.err));
                QCOMPARE(r.err.count('\n'), 1);
                QVERIFY2(r.err.contains("never replaces") || r.err.contains("is a folder"), qPrintable(r.err));
            }
        const Result hf = cli(
            withDb({"export", "--run", "1", "--layout", "hf", "--out", m_dir.path() + "/store/runs", "--force"}));
        QCOMPARE(hf.exitCode, 1);
        for (int i = 0; i < inputs.size(); ++i) QVERIFY2(hashOf(inputs[i]) == hashes[i], qPrintable(inputs[i]));
        QCOMPARE(cli(withDb({"runs", "check"})).out.trimmed(), QStringLiteral("ok"));
        QCOMPARE(embedAtZero(), before);
    }

    void exportReplacesOtherFilesOnlyWithForce()
    {
        const QString target = m_dir.path() + "/existing.safetensors";
        {
            QFile f(target);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("mine");
        }
        Result r = cli(withDb({"export", "--run", "1", "--out", target}));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("already exists") && r.err.contains("--force"), qPrintable(r.err));
        QCOMPARE(QFileInfo(target).size(), qint64(4));
        r = cli(withDb({"export", "--run", "1", "--out", target, "--force"}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(QFileInfo(target).size() > 10000);
        QCOMPARE(cli({"embed", "--model", target, "--text", "a red square."}).exitCode, 0);
        QVERIFY(temporariesBelow(m_dir.path()).isEmpty());
    }

    // A fine-tuning run's export writes its head beside the model, and the head's file is guarded
    // as the model's is: an existing one is replaced only with --force.
    void exportWritesTheHeadBesideAndGuardsIt()
    {
        const Result trained = cli(withDb({"train", "--project", m_project, "--set", "method=finetune", "--set",
                                           "steps=2", "--set", "eval_every=0", "--quiet"}));
        QVERIFY2(trained.exitCode == 0, qPrintable(trained.err));
        const QString id = trained.out.section(' ', 1, 1).section('\n', 0, 0).trimmed();
        const QString model = m_dir.path() + "/tuned.safetensors", head = m_dir.path() + "/tuned.head.safetensors";
        {
            QFile f(head);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("mine");
        }
        Result r = cli(withDb({"export", "--run", id, "--out", model}));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("tuned.head.safetensors: already exists"), qPrintable(r.err));
        QVERIFY(!QFile::exists(model));
        QCOMPARE(QFileInfo(head).size(), qint64(4));
        r = cli(withDb({"export", "--run", id, "--out", model, "--force"}));
        QVERIFY2(r.exitCode == 0 && r.out.contains("\"head\":\"" + head + "\""), qPrintable(r.out + r.err));
        QVERIFY(QFileInfo(head).size() > 100);
    }

    // A one-file export into a folder that does not exist is refused with the folder's name; a
    // Hugging Face export makes its folder and the missing ones above it.
    void exportNamesAMissingFolder()
    {
        const Result r = cli(withDb({"export", "--run", "1", "--out", m_dir.path() + "/absent/m.safetensors"}));
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.contains("absent does not exist"), qPrintable(r.err));
        const QString hf = m_dir.path() + "/made/for/hf";
        const Result made = cli(withDb({"export", "--run", "1", "--layout", "hf", "--out", hf}));
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));
        QVERIFY(QFile::exists(hf + "/model.safetensors"));
    }

    // pretrain --out follows export's rules, and says so before it trains: never over its --init
    // model or a run store (not even with --force), an existing file only with --force, and not
    // into a folder that does not exist (the model would be lost after the whole training).
    void pretrainRefusesItsTargetBeforeTraining()
    {
        const QByteArray model = hashOf(m_model);
        const QString missingFolder = m_dir.path() + "/no-such-folder/model.safetensors";
        for (const QStringList& args :
             {QStringList{"pretrain", "--init", m_model, "--out", m_model, "--force"},
              QStringList{"pretrain", "--out", m_db, "--force"}, QStringList{"pretrain", "--out", m_model},
              QStringList{"pretrain", "--out", missingFolder, "--steps", "2"}}) {
            const Result r = cli(args);
            QVERIFY2(r.exitCode == 1, qPrintable(args.join(' ') + ": " + r.err));
            QCOMPARE(r.err.count('\n'), 1);
            QVERIFY2(r.err.contains("never replaces") || r.err.contains("already exists; choose another name") ||
                         r.err.contains("no-such-folder does not exist"),
                     qPrintable(r.err));
            QVERIFY2(!r.err.contains("step "), qPrintable(r.err)); // refused before the first step
        }
        QCOMPARE(hashOf(m_model), model);
    }

    // Issue #13, case 12: what a killed export left behind is removed by the next one.
    void staleTemporariesAreRemoved()
    {
        const int pid = deadPid();
        if (pid < 0) QSKIP("no free process id found");
        const QString target = m_dir.path() + "/fresh.safetensors";
        const QString stale = target + ".radapter-tmp-" + QString::number(pid);
        const QString staleState = m_state + ".radapter-tmp-" + QString::number(pid);
        for (const QString& p : {stale, staleState}) {
            QFile f(p);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(4096, 'x'));
        }
        QCOMPARE(cli(withDb({"export", "--run", "1", "--out", target})).exitCode, 0);
        QVERIFY(!QFile::exists(stale));
        // Any command that opens the store for writing removes the leftovers in the run folders.
        QCOMPARE(cli(withDb({"runs", "tag", "1", "checked"})).exitCode, 0);
        QVERIFY(!QFile::exists(staleState));
        QVERIFY(QFile::exists(m_state));
    }

    // Issue #13, cases 3-7 and 10-11: out-of-range, non-finite and malformed values are usage
    // errors (exit 2, one sentence) before any work starts.
    void badArgumentsAreUsageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        const QString model = m_model, data = m_dir.path() + "/val";
        for (const char* v : {"nan", "inf", "1e308", "-5", "3.5"})
            QTest::addRow("export --alpha %s", v)
                << withDb({"export", "--run", "1", "--alpha", v, "--out", m_dir.path() + "/a.safetensors"})
                << "--alpha";
        QTest::addRow("embed --alpha nan")
            << withDb({"embed", "--run", "1", "--alpha", "nan", "--text", "x"}) << "--alpha";
        for (const char* a :
             {"0:1", "0:1:0.4:5", "nan:1:0.1", "0:1:nan", "0:inf:0.1", "0:1:1e-9", "0:1e9:1", "-5:1:0.1", "0,,1", ""})
            QTest::addRow("sweep --alphas '%s'", a) << withDb({"sweep", "--run", "1", "--alphas", a}) << "--alphas";
        for (const char* t : {"abc", "-1", "1.5", "99999999999999999999", "100000", " 2"})
            QTest::addRow("--threads '%s'", t) << QStringList{"--threads", t, "info", "--system"} << "--threads";
        for (const char* b : {"0", "-5", "x"})
            QTest::addRow("zeroshot --batch %s", b)
                << QStringList{"zeroshot", "--model", model, "--data", data, "--batch", b} << "--batch";
        QTest::addRow("tokenize --context-length 1e9")
            << QStringList{"tokenize", "--context-length", "1000000000", "a"} << "--context-length";
        QTest::addRow("demo --steps 0") << QStringList{"demo", "--steps", "0"} << "--steps";
        QTest::addRow("--device bogus") << QStringList{"--device", "bogus", "info", "--system"} << "--device";
        QTest::addRow("info --bogus") << QStringList{"info", "--bogus"} << "unknown option --bogus";
        QTest::addRow("export --out ''") << withDb({"export", "--run", "1", "--out", ""}) << "--out";
        QTest::addRow("--run abc") << withDb({"export", "--run", "abc", "--out", "x"}) << "--run";
    }

    void badArgumentsAreUsageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        const Result r = cli(args, 60000);
        QVERIFY2(r.exitCode == 2, qPrintable(QString::number(r.exitCode) + " " + r.err));
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.contains(mentions), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    // --device cuda with a libtorch that has no CUDA (Debian's): one sentence saying so, before
    // any work, for every device spelling.
    void gpuWithoutCudaIsOneSentence()
    {
        const Result system = cli({"info", "--system"}, 60000);
        if (system.out.contains("\"cuda_available\": true")) QSKIP("this libtorch has CUDA");
        for (const char* device : {"cuda", "cuda:0", "cuda:3"}) {
            const Result r = cli({"--device", device, "train", "--project", m_dir.path() + "/none.json"}, 60000);
            QCOMPARE(r.exitCode, 1);
            QCOMPARE(r.err.count('\n'), 1);
            QVERIFY2(r.err.contains(QString("--device %1: this build of libtorch has no CUDA support").arg(device)),
                     qPrintable(r.err));
            QVERIFY(r.out.isEmpty());
        }
    }

    // Issue #13, case 7: an unknown run is an error wherever it is named.
    void unknownRunsAreErrors()
    {
        for (const QStringList& args : {QStringList{"runs", "show", "999999"}, QStringList{"runs", "export", "999"},
                                        QStringList{"runs", "delete", "999"}}) {
            const Result r = cli(withDb(args));
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains("there is no run"), qPrintable(r.err));
        }
    }

    // A pipe or a device as an export's target is never renamed over: run as root, --force onto
    // /dev/null ("export it nowhere") left /dev/null a regular file. Shown with a pipe here.
    void aPipeIsNeverReplacedByAnExport()
    {
        const QString fifo = m_dir.path() + "/target.fifo";
        QCOMPARE(::mkfifo(fifo.toUtf8().constData(), 0600), 0);
        const Result r = cli(withDb({"export", "--run", "1", "--alpha", "0.5", "--out", fifo, "--force"}), 120000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("is not a regular file") && r.err.trimmed().count('\n') == 0, qPrintable(r.err));
        // Under every writer too (the kernel cache, a project, a checkpoint): AtomicFile itself.
        try {
            ra::writeFileAtomically(fifo.toStdString(), "text", "the file");
            QFAIL("a pipe was renamed over");
        } catch (const ra::Error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("is not a regular file"), e.what());
        }
        QVERIFY(std::filesystem::is_fifo(fifo.toStdString()));
    }

    // Issue #13, case 3: a named pipe as the model does not block.
    void pipeAsModelIsRefused()
    {
        const QString fifo = m_dir.path() + "/model.fifo";
        QCOMPARE(::mkfifo(fifo.toUtf8().constData(), 0600), 0);
        const Result r = cli({"embed", "--model", fifo, "--text", "a"}, 60000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("not a regular file"), qPrintable(r.err));
    }

    // Issue #13, cases 8-11: damaged or wrong inputs are errors that name the file and the
    // problem, never silent successes, std::bad_alloc or a library's own lines.
    void damagedInputsAreNamed()
    {
        const QString dir = m_dir.path() + "/damaged";
        QDir().mkpath(dir);
        auto expectError = [&](const QStringList& args, const QString& mentions) {
            const Result r = cli(args, 60000);
            QVERIFY2(r.exitCode == 1, qPrintable(args.join(' ') + " -> " + QString::number(r.exitCode) + " " + r.err));
            QVERIFY2(r.err.count('\n') == 1 && r.err.contains(mentions), qPrintable(args.join(' ') + " -> " + r.err));
        };
        const auto jit = ra::test::readBytes(ra::test::goldenPath("clip-ref/openai_jit.pt"));
        auto flipped = jit;
        flipped[flipped.size() / 2] ^= 0x40; // inside a tensor record
        ra::test::writeBytes((dir + "/flipped.pt").toStdString(), flipped);
        expectError({"embed", "--model", dir + "/flipped.pt", "--text", "a"}, "CRC-32");
        auto cut = jit;
        cut.resize(cut.size() / 2);
        ra::test::writeBytes((dir + "/cut.pt").toStdString(), cut);
        expectError({"embed", "--model", dir + "/cut.pt", "--text", "a"}, "cut short");

        // text_projection stored as I32 (same size as F32): refused, not used as 1e10s.
        auto st = ra::test::readBytes(m_model.toStdString());
        std::string head(st.begin(), st.begin() + 8 + 4096);
        const size_t at = head.find("\"text_projection\":{\"dtype\":\"F32\"");
        QVERIFY(at != std::string::npos);
        std::copy_n("I32", 3, st.begin() + long(at + std::string("\"text_projection\":{\"dtype\":\"").size()));
        ra::test::writeBytes((dir + "/int.safetensors").toStdString(), st);
        expectError({"embed", "--model", dir + "/int.safetensors", "--text", "a"}, "must be floating point");

        // Hugging Face configs with fields of the wrong type or range.
        const QString hfSource = QString::fromStdString(ra::test::goldenPath("clip-ref/hf"));
        int n = 0;
        for (const char* edit : {R"("text_config": "x")", R"("vision_config": [1])"}) {
            const QString hf = dir + "/hf" + QString::number(++n);
            QDir().mkpath(hf);
            QFile::link(hfSource + "/model.safetensors", hf + "/model.safetensors");
            QFile c(hf + "/config.json");
            QVERIFY(c.open(QIODevice::WriteOnly));
            c.write(QByteArray("{") + edit + "}");
            c.close();
            expectError({"embed", "--model", hf, "--text", "a"}, "must be an object");
        }
        for (const char* heads : {"1.5", "1099511627776"}) {
            const QString hf = dir + "/hf" + QString::number(++n);
            QDir().mkpath(hf);
            QFile::link(hfSource + "/model.safetensors", hf + "/model.safetensors");
            QFile in(hfSource + "/config.json");
            QVERIFY(in.open(QIODevice::ReadOnly));
            auto j = nlohmann::json::parse(in.readAll().toStdString());
            j["text_config"]["num_attention_heads"] = nlohmann::json::parse(heads);
            QFile c(hf + "/config.json");
            QVERIFY(c.open(QIODevice::WriteOnly));
            c.write(QByteArray::fromStdString(j.dump()));
            c.close();
            expectError({"embed", "--model", hf, "--text", "a"}, "num_attention_heads must be a whole number");
        }
        const QString hfDir = dir + "/hfdir";
        QDir().mkpath(hfDir + "/model.safetensors");
        QFile::copy(hfSource + "/config.json", hfDir + "/config.json");
        expectError({"embed", "--model", hfDir, "--text", "a"}, "not a regular file");

        // Images: a folder, a cut PNG, a PNG with a damaged chunk.
        expectError({"embed", "--model", m_model, "--image", dir}, "not a regular file");
        const auto png = ra::test::readBytes(ra::test::goldenPath("clip-ref/img0.png"));
        auto cutPng = png;
        cutPng.resize(png.size() / 2);
        ra::test::writeBytes((dir + "/cut.png").toStdString(), cutPng);
        expectError({"embed", "--model", m_model, "--image", dir + "/cut.png"}, "truncated");
        // A JPEG (tests/data/gradient.jpg, written by Debian's Pillow) whole, then cut in half.
        const QString jpeg = ra::test::sourceDir() + "/tests/data/gradient.jpg";
        QCOMPARE(cli({"embed", "--model", m_model, "--image", jpeg}).exitCode, 0);
        auto cutJpeg = ra::test::readBytes(jpeg.toStdString());
        cutJpeg.resize(cutJpeg.size() / 2);
        ra::test::writeBytes((dir + "/cut.jpg").toStdString(), cutJpeg);
        expectError({"embed", "--model", m_model, "--image", dir + "/cut.jpg"}, "JPEG file is truncated");
        auto badPng = png;
        badPng[png.size() / 2] ^= 0x01;
        ra::test::writeBytes((dir + "/bad.png").toStdString(), badPng);
        const Result bad = cli({"embed", "--model", m_model, "--image", dir + "/bad.png"});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.count('\n') == 1 && bad.err.contains("checksum") && !bad.err.contains("libpng"),
                 qPrintable(bad.err));

        // Valid checksums around a damaged compressed stream: refused by our check, before
        // libpng could print its own lines.
        auto idatPng = png;
        const size_t idat = std::string(idatPng.begin(), idatPng.end()).find("IDAT");
        QVERIFY(idat != std::string::npos);
        const uint32_t length = uint32_t(idatPng[idat - 4]) << 24 | uint32_t(idatPng[idat - 3]) << 16 |
            uint32_t(idatPng[idat - 2]) << 8 | idatPng[idat - 1];
        for (size_t i = 0; i < 16 && i < length; ++i) idatPng[idat + 4 + length / 2 + i] ^= 0x5A;
        const uint32_t crc = uint32_t(crc32(0L, &idatPng[idat], uInt(length + 4)));
        for (int i = 0; i < 4; ++i) idatPng[idat + 4 + length + size_t(i)] = uint8_t(crc >> (24 - 8 * i));
        ra::test::writeBytes((dir + "/idat.png").toStdString(), idatPng);
        const Result idatResult = cli({"embed", "--model", m_model, "--image", dir + "/idat.png"});
        QCOMPARE(idatResult.exitCode, 1);
        QVERIFY2(idatResult.err.count('\n') == 1 && idatResult.err.contains("PNG image data") &&
                     !idatResult.err.contains("libpng"),
                 qPrintable(idatResult.err));

        // Image folders: a link to a missing image is a missing image (not one image fewer), and a
        // link loop is named as such, not as a problem of the dataset's folder.
        const QString links = dir + "/links/seven";
        QDir().mkpath(links);
        QVERIFY(QFile::copy(QString::fromStdString(ra::test::goldenPath("clip-ref/img0.png")), links + "/a.png"));
        QVERIFY(QFile::link(links + "/gone.png", links + "/b.png"));
        expectError({"zeroshot", "--model", m_model, "--data", dir + "/links"},
                    "b.png: a link to a file that does not exist");
        QVERIFY(QFile::remove(links + "/b.png"));
        QVERIFY(QFile::link(links + "/c.png", links + "/c.png"));
        expectError({"zeroshot", "--model", m_model, "--data", dir + "/links"},
                    "c.png: Too many levels of symbolic links");

        // Projects: repeated or empty class names, a textual version, a number out of range.
        QFile in(m_project);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const auto base = nlohmann::json::parse(in.readAll().toStdString());
        auto writeProject = [&](const std::string& text) {
            const QString p = m_dir.path() + "/variant.json"; // beside the data it names
            std::ofstream(p.toStdString(), std::ios::trunc) << text;
            return p;
        };
        auto j = base;
        j["classnames"] = {"red", "red", "blue"};
        expectError(withDb({"train", "--project", writeProject(j.dump())}), "names 'red' twice");
        j["classnames"] = {"red", "", "blue"};
        expectError(withDb({"train", "--project", writeProject(j.dump())}), "empty name");
        // Empty file names (the mutation fuzzer found "templates": "" reported without the file).
        j = base;
        j["templates"] = "";
        expectError(withDb({"train", "--project", writeProject(j.dump())}), "variant.json: \"templates\" is empty");
        j = base;
        j["model"] = "";
        expectError(withDb({"train", "--project", writeProject(j.dump())}), "variant.json: \"model\"");
        j = base;
        j["version"] = "1";
        expectError(withDb({"train", "--project", writeProject(j.dump())}), "\"version\" must be a whole number");
        j = base;
        j["hyperparameters"]["steps"] = uint64_t(1) << 63;
        expectError(withDb({"train", "--project", writeProject(j.dump())}),
                    "'9223372036854775808' is not a whole number");
        std::string text = base.dump();
        text.replace(text.find("\"lr\":0.01"), 9, "\"lr\":1e400");
        expectError(withDb({"train", "--project", writeProject(text)}), "variant.json");
        // Spaces around a setting's value are ignored on both sides.
        for (const char* set : {"steps= 2", "steps=2 "}) {
            const Result r = cli(
                withDb({"train", "--project", m_project, "--set", set, "--set", "eval_every=0", "--quiet"}));
            QVERIFY2(r.exitCode == 0, qPrintable(QString(set) + ": " + r.err));
        }
    }

    // Issue #13, cases 1 and 12, in a file system of a few megabytes made for the test (a tmpfs in
    // a private mount namespace): training and export on a full disk end with a clear error and
    // leave the store intact, the run failed and no temporary file; resume works once there is
    // space again; a read-only store can still be looked at, and an export it could not record
    // writes nothing.
    void fullDiskLosesNothing()
    {
        const QString mnt = m_dir.path() + "/small-disk", results = m_dir.path() + "/full-disk-results";
        QDir().mkpath(mnt);
        const QString script = m_dir.path() + "/full-disk.sh";
        {
            QFile f(script);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(R"SH(set -u
D="$1"; CLI="$2"; P="$3"; OUT="$4"
mount -t tmpfs -o size=24m tmpfs "$D" 2>/dev/null || { echo "skip cannot mount a tmpfs"; exit 0; }
db="$D/store/runs.sqlite"
"$CLI" --db "$db" train --project "$P" --set steps=2 --set eval_every=0 --quiet \
    >/dev/null 2>"$OUT/first.err"; echo "first $?"
state=$(stat -c %s "$D/store/runs/1/state.pt")
avail=$(df -B1 --output=avail "$D" | tail -1)
head -c $((avail - state / 2)) /dev/zero > "$D/filler" 2>/dev/null
"$CLI" --db "$db" train --project "$P" --set steps=3 --set eval_every=0 --set checkpoint_every=1 --quiet \
    >/dev/null 2>"$OUT/train.err"; echo "train $?"
echo "temporaries $(find "$D" -name '*radapter-tmp*' | wc -l)"
echo "check $("$CLI" --db "$db" runs check 2>&1)"
echo "status $("$CLI" --db "$db" runs show 2 | tr -d ' \n' | sed 's/.*"status":"\([a-z]*\)".*/\1/')"
"$CLI" --db "$db" export --run 1 --out "$D/merged.safetensors" >/dev/null 2>"$OUT/export.err"; echo "export $?"
"$CLI" --db "$db" export --run 1 --layout hf --out "$D/hf" >/dev/null 2>"$OUT/exporthf.err"; echo "exporthf $?"
echo "leftovers $(find "$D" -name '*radapter-tmp*' -o -name 'merged*' -o -name hf | wc -l)"
rm -f "$D/filler"
"$CLI" --db "$db" train --resume 2 --quiet >/dev/null 2>"$OUT/resume.err"; echo "resume $?"
echo "resumed $("$CLI" --db "$db" runs show 2 | tr -d ' \n' | sed 's/.*"status":"\([a-z]*\)".*/\1/')"
mount -o remount,ro "$D" || { echo "skip cannot remount read-only"; exit 0; }
"$CLI" --db "$db" runs list >/dev/null 2>"$OUT/list.err"; echo "rolist $?"
"$CLI" --db "$db" export --run 1 --out "$OUT/ro-export.safetensors" >/dev/null 2>"$OUT/roexport.err"; echo "roexport $?"
echo "roexported $(ls "$OUT" | grep -c ro-export)"
)SH");
        }
        QDir().mkpath(results);
        QProcess p;
        // As root a private mount namespace suffices; a user needs a user namespace as well.
        QStringList args = {"--mount"};
        if (::geteuid() != 0) args << "--map-root-user";
        p.start(QStringLiteral("unshare"),
                args + QStringList{"sh", script, mnt, QStringLiteral(RA_CLI), m_project, results});
        if (!p.waitForStarted()) QSKIP("unshare (util-linux) is not available to make a small file system");
        QVERIFY(p.waitForFinished(600000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        if (out.isEmpty() || out.startsWith("skip"))
            QSKIP(qPrintable("cannot make a small file system here: " +
                             (out.isEmpty() ? QString::fromUtf8(p.readAllStandardError()).trimmed() : out.trimmed())));
        QMap<QString, QString> r;
        for (const QString& line : out.split('\n', Qt::SkipEmptyParts))
            r[line.section(' ', 0, 0)] = line.section(' ', 1).trimmed();
        auto err = [&](const char* name) {
            QFile f(results + "/" + name + ".err");
            return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
        };
        QVERIFY2(!r.contains("skip"), qPrintable(out));
        QCOMPARE(r["first"], QStringLiteral("0"));
        QVERIFY2(r["train"] == "1", qPrintable(out + err("train")));
        QVERIFY2(err("train").contains("no space left on the device"), qPrintable(err("train")));
        QCOMPARE(err("train").count('\n'), 1);
        QCOMPARE(r["temporaries"], QStringLiteral("0"));
        QCOMPARE(r["check"], QStringLiteral("ok"));
        QCOMPARE(r["status"], QStringLiteral("failed"));
        QCOMPARE(r["export"], QStringLiteral("1"));
        QVERIFY2(err("export").contains("no space left on the device"), qPrintable(err("export")));
        QCOMPARE(r["exporthf"], QStringLiteral("1"));
        QCOMPARE(r["leftovers"], QStringLiteral("0"));
        QVERIFY2(r["resume"] == "0", qPrintable(err("resume")));
        QCOMPARE(r["resumed"], QStringLiteral("finished"));
        if (r.contains("rolist")) {
            QVERIFY2(r["rolist"] == "0", qPrintable(err("list")));
            QCOMPARE(r["roexport"], QStringLiteral("1"));
            QVERIFY2(err("roexport").contains("read-only") || err("roexport").contains("cannot be written"),
                     qPrintable(err("roexport")));
            QCOMPARE(r["roexported"], QStringLiteral("0"));
        }
    }
};

QTEST_GUILESS_MAIN(TestDataLoss)
#include "tst_dataloss.moc"
