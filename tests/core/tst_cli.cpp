// The radapter CLI as scripts use it: output formats, exit codes, one-line errors.
#include "config/parameterimportance.h"
#include "enginefixture.h"
#include "testutil.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <cmath>
#include <set>

namespace {

struct Run {
    int exitCode = -1;
    QString out, err;
};

Run radapter(const QStringList& args, const QByteArray& input = {}, const QStringList& env = {})
{
    QProcess p;
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    for (const QString& kv : env) // NAME=VALUE sets NAME, -NAME removes it
        if (kv.startsWith('-')) e.remove(kv.mid(1));
        else e.insert(kv.section('=', 0, 0), kv.section('=', 1));
    p.setProcessEnvironment(e);
    p.start(QStringLiteral(RA_CLI), args);
    p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(120000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QString readText(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void systemInfoDescribesTheMachine()
    {
        auto r = radapter({"info", "--system"});
        QCOMPARE(r.exitCode, 0);
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QVERIFY(j["cpu"]["logical_cores"].get<int>() >= 1);
        const std::string auto_ = j["precision"]["auto"];
        QCOMPARE(auto_ == "bf16", j["cpu"]["native_bf16"].get<bool>());
        QVERIFY(j["libraries"]["libtorch"].get<std::string>().rfind("1.", 0) == 0);
        QVERIFY(j["kernels"].contains("choices"));
        // The override's defaults, not variables of the environment the suite runs in (a run under
        // RADAPTER_CPU_ISA=avx512 sets ONEDNN_MAX_CPU_ISA=AVX512_CORE, which a user's value keeps).
        r = radapter(
            {"info", "--system"}, {},
            {"RADAPTER_CPU_ISA=avx2", "-ONEDNN_MAX_CPU_ISA", "-ATEN_CPU_CAPABILITY", "-RADAPTER_ENV_PREPARED"});
        const auto forced = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(forced["cpu"]["isa_limit"].get<std::string>(), std::string("avx2"));
        QCOMPARE(forced["precision"]["auto"].get<std::string>(), std::string("fp32"));
        QCOMPARE(forced["environment"]["ONEDNN_MAX_CPU_ISA"].get<std::string>(), std::string("AVX2"));
        // From an environment without the variables libgomp and OpenBLAS read when they load, the
        // program's getenv gives them its defaults then: the spin count and, under the AVX2
        // override, OpenBLAS's Haswell kernels, without re-executing (RADAPTER_ENV_PREPARED).
        const QStringList bare = {"-GOMP_SPINCOUNT", "-OMP_WAIT_POLICY", "-OPENBLAS_CORETYPE",
                                  "-RADAPTER_ENV_PREPARED"};
        r = radapter({"info", "--system"}, {}, bare + QStringList{"RADAPTER_CPU_ISA=avx2"});
        QCOMPARE(r.exitCode, 0);
        const auto loaded = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(loaded["environment_prepared"].get<std::string>(), std::string("in-process"));
        QCOMPARE(loaded["threads"]["omp_spin_count"].get<std::string>(), std::string("10000"));
        QVERIFY2(loaded["libraries"]["openblas"].get<std::string>().find("(kernels: Haswell)") != std::string::npos,
                 loaded["libraries"]["openblas"].get<std::string>().c_str());
        r = radapter({"info", "--system"}, {}, bare); // natively: re-executed only to change OpenBLAS's choice
        const auto native = nlohmann::json::parse(r.out.toStdString());
        const std::string how = native["environment_prepared"];
        QVERIFY2(how == "in-process" || (how == "re-executed" && native["environment"].contains("OPENBLAS_CORETYPE")),
                 how.c_str());
    }

    // bf16 on a CPU without bf16 kernels (forced here): a warning line, then a result, never an abort.
    void bf16WithoutNativeSupportRuns()
    {
        const QStringList common = {"bench", "--arch",   "ViT-B/32", "--batch",     "2",   "--steps",
                                    "1",     "--warmup", "0",        "--precision", "bf16"};
        auto r = radapter(common + QStringList{"--mode", "all"}, {}, {"RADAPTER_CPU_ISA=avx2"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains("warning: precision bf16") && r.err.contains("slower than fp32"), qPrintable(r.err));
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["compute_precision"].get<std::string>(), std::string("bf16-emulated"));
        QVERIFY(j["inference_img_per_s"].get<double>() > 0 && j["train_img_per_s"].get<double>() > 0);
        QCOMPARE(j["system"]["cpu"]["isa_limit"].get<std::string>(), std::string("avx2"));
    }

    // A libtorch failure deep inside a command arrives as one sentence and exit status 1.
    void libtorchErrorsAreOneSentence()
    {
        auto r = radapter({"bench", "--mode", "inference", "--batch", "1", "--steps", "1", "--warmup", "0"}, {},
                          {"RADAPTER_INJECT_TORCH_ERROR=1"});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.startsWith("radapter bench: internal error in a library: injected failure"), qPrintable(r.err));
        QVERIFY(!r.err.contains("Exception raised from"));
    }

    void tokenizeArgumentsAndStdin()
    {
        auto r = radapter({"tokenize", "--context-length", "8", "a cat", "a dog"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QStringLiteral("[49406,320,2368,49407,0,0,0,0]\n[49406,320,1929,49407,0,0,0,0]\n"));
        r = radapter({"tokenize"}, "\"a diagram\"\n\"\"\n");
        QCOMPARE(r.exitCode, 0);
        const auto lines = r.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines[0].startsWith("[49406,320,22697,49407,0"));
        QCOMPARE(nlohmann::json::parse(lines[0].toStdString()).size(), size_t(77));
        r = radapter({"tokenize"}, "not json\n");
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("line 1"));
        QVERIFY(r.out.isEmpty());
    }

    // radapter runs help, version, tokenize and runs without libtorch, whose loading takes ~0.6 s,
    // and hands every other command to radapter-engine beside it (app/cli/engine.h). The dynamic
    // loader's own list of what a program loads (what ldd prints) names no libtorch for radapter
    // and names it for the engine; without the engine beside it, radapter still runs its own
    // commands and says in one sentence which program a computing command needs.
    void lightCommandsLoadNoLibtorch()
    {
        const auto loads = [](const QString& program) {
            QProcess p;
            QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
            e.insert("LD_TRACE_LOADED_OBJECTS", "1");
            p.setProcessEnvironment(e);
            p.start(program, {});
            p.waitForFinished(60000);
            return QString::fromUtf8(p.readAllStandardOutput());
        };
        const QString front = QStringLiteral(RA_CLI);
        const QString engine = QFileInfo(front).absolutePath() + "/radapter-engine";
        QVERIFY2(loads(front).contains("libsqlite3"), qPrintable(loads(front)));
        QVERIFY2(!loads(front).contains("libtorch"), qPrintable(loads(front)));
        QVERIFY(loads(engine).contains("libtorch_cpu"));

        QTemporaryDir dir;
        const QString alone = dir.filePath("radapter");
        QVERIFY(QFile::copy(front, alone));
        const auto run = [&](const QStringList& args) {
            QProcess p;
            p.start(alone, args);
            p.waitForFinished(60000);
            return Run{p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
                       QString::fromUtf8(p.readAllStandardError())};
        };
        auto r = run({"tokenize", "--context-length", "4", "a cat"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QStringLiteral("[49406,320,2368,49407]\n"));
        r = run({"--db", dir.filePath("runs.sqlite"), "runs", "list"});
        QCOMPARE(r.exitCode, 1); // no store yet: the store's own sentence, not the engine's
        QVERIFY2(r.err.contains("no run store here yet"), qPrintable(r.err));
        r = run({"info", "--system"});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.startsWith("radapter info: " + dir.filePath("radapter-engine") + ": cannot start it"),
                 qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    // Tab completion (app/cli/completion.h): the candidates follow the usage text, the settings and
    // the store named on the command line, and the bash script hands them to bash.
    void completionFollowsUsageAndStore()
    {
        RA_REQUIRE_GOLDEN();
        const auto complete = [](const QStringList& words) {
            QStringList c = radapter(QStringList{"__complete"} + words).out.split('\n', Qt::SkipEmptyParts);
            c.sort();
            return c;
        };
        QCOMPARE(complete({"tr"}), QStringList{"train"});
        QCOMPARE(complete({"--threads", "2", "ru"}), QStringList{"runs"});
        QCOMPARE(complete({"export", "--layout", ""}), (QStringList{"hf", "openai"}));
        QCOMPARE(complete({"bench", "--precision", ""}), (QStringList{"auto", "bf16", "fp32"}));
        QCOMPARE(complete({"train", "--set", "lr"}), QStringList{"lr="});
        const QStringList trainOptions = complete({"train", "--"});
        for (const char* o : {"--project", "--set", "--resume", "--name", "--experiment", "--dist-backend", "--help"})
            QVERIFY2(trainOptions.contains(o), o);
        QCOMPARE(complete({"runs", "d"}), QStringList{"delete"});
        QCOMPARE(complete({"runs", "e"}), (QStringList{"empty-trash", "export"}));
        QCOMPARE(complete({"train", "--project", ""}), QStringList{"__files__"});
        QCOMPARE(complete({"classify", "--run", "1", ""}), QStringList{"__files__"});
        QCOMPARE(complete({"train", "--name", ""}), QStringList()); // free text
        QCOMPARE(complete({"runs", "import", ""}), QStringList{"__files__"});
        QCOMPARE(complete({"--d"}), (QStringList{"--db", "--device"}));

        QTemporaryDir dir;
        const QString project = ra::test::makeColourWorld(dir.path(), 4);
        const QString db = dir.path() + "/runs.sqlite";
        QCOMPARE(complete({"--db", db, "runs", "show", ""}), QStringList());
        QVERIFY(!QFileInfo::exists(db)); // completing opens a store read-only, never makes one
        for (int i = 0; i < 2; ++i)
            QCOMPARE(radapter({"--db", db, "train", "--project", project, "--set", "steps=1", "--quiet"}).exitCode, 0);
        QCOMPARE(complete({"--db", db, "runs", "show", ""}), (QStringList{"1", "2"}));
        QCOMPARE(complete({"--db", db, "sweep", "--run", "2"}), QStringList{"2"});
        QCOMPARE(complete({"runs", "--db", db, "delete", ""}), (QStringList{"1", "2"}));
        QCOMPARE(complete({"--db", db, "runs", "export", "1", ""}), (QStringList{"1", "2"})); // IDS: more
        QCOMPARE(complete({"--db", db, "runs", "tag", "1", ""}), QStringList());              // the tag itself

        QProcess bash;
        bash.start("bash",
                   {"-c",
                    R"(source "$1" && COMP_LINE="$2" && COMP_POINT=${#COMP_LINE} && _radapter &&
                               printf '%s\n' "${COMPREPLY[@]}")",
                    "_", QStringLiteral(RA_SOURCE_DIR) + "/packaging/bash-completion/radapter",
                    QStringLiteral(RA_CLI) + " --db " + db + " export --run "});
        QVERIFY(bash.waitForFinished(60000));
        QCOMPARE(QString::fromUtf8(bash.readAllStandardOutput()), QStringLiteral("1\n2\n"));
    }

    // Output that cannot be written (a full disk under `radapter runs export > runs.csv`; /dev/full
    // here) is one sentence and a non-zero status, not a silent success with a cut-off file.
    void unwritableOutputIsAnError()
    {
        QProcess p;
        p.setStandardOutputFile(QStringLiteral("/dev/full"));
        p.start(QStringLiteral(RA_CLI), {"tokenize", "a cat"});
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 1);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(err, QStringLiteral("radapter: cannot write the output (No space left on device).\n"));
    }

    // The command names live in two places, because the two programs link different code: the
    // usage table (cli/usage.cpp: help, completion, `radapter`'s check) and radapter-engine's
    // dispatch (cli/enginecommands.cpp). A name in the first without a branch in the second would
    // pass `radapter`'s check and then fail in the engine. Every completed command must reach its
    // own option parser in both programs.
    void everyCommandReachesItsParser()
    {
        QStringList commands = radapter({"__complete", ""}).out.split('\n', Qt::SkipEmptyParts);
        QVERIFY2(commands.contains("train") && commands.contains("demo"), qPrintable(commands.join(' ')));
        commands.removeAll("help");
        commands.removeAll("version");
        const QString engine = QFileInfo(QStringLiteral(RA_CLI)).dir().filePath("radapter-engine");
        for (const QString& program : {QStringLiteral(RA_CLI), engine})
            for (const QString& command : commands) {
                QProcess p;
                p.start(program, {command, "--no-such-option"});
                QVERIFY(p.waitForFinished(120000));
                const QString err = QString::fromUtf8(p.readAllStandardError());
                QVERIFY2(p.exitCode() == 2 && err == "radapter " + command + ": unknown option --no-such-option.\n",
                         qPrintable(program + " " + command + ": " + err));
            }
    }

    void commandHelp()
    {
        auto r = radapter({"train", "--help"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("train --project FILE"));
        QVERIFY(r.out.contains("eps: MPM-NCE label smoothing")); // every setting explained
        r = radapter({"demo", "--help"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("--seed S") && r.out.contains("--seeds 0,1,2") && !r.out.contains("train"));
        // A bad seed list is one sentence and exit status 2, before any work.
        for (const QStringList& bad :
             {QStringList{"demo", "--seeds", "0,x"}, QStringList{"demo", "--seeds", "1,1"},
              QStringList{"demo", "--seeds", "0,"}, QStringList{"demo", "--seed", "1", "--seeds", "2,3"}}) {
            const auto e = radapter(bad);
            QCOMPARE(e.exitCode, 2);
            QVERIFY2(e.err.count('\n') == 1 && e.err.contains("seed"), qPrintable(e.err));
            QVERIFY(e.out.isEmpty());
        }
        QCOMPARE(radapter({"nosuch", "--help"}).exitCode, 2);
    }

    void embedPrintsOneJsonObject()
    {
        RA_REQUIRE_GOLDEN();
        const QString ref = ra::test::goldenDir() + "/clip-ref/";
        auto r = radapter(
            {"embed", "--model", ref + "hf", "--text", "a cat", "--image", ref + "img0.png", "--text", ""});
        QCOMPARE(r.exitCode, 0);
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["image"].size(), size_t(1));
        QCOMPARE(j["text"].size(), size_t(2));
        QCOMPARE(j["text"][0].size(), size_t(48));
        QVERIFY(std::abs(j["logit_scale"].get<double>() - 49.4024543762207) < 1e-3);
    }

    void infoReportsArchitecture()
    {
        RA_REQUIRE_GOLDEN();
        auto r = radapter({"info", "--model", ra::test::goldenDir() + "/clip-ref/openai_jit.pt"});
        QCOMPARE(r.exitCode, 0);
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["vision"]["patch_size"].get<int>(), 16);
        QCOMPARE(j["text"]["width"].get<int>(), 64);
        QVERIFY(j["parameters"]["total"].get<int64_t>() > 3000000);
    }

    void errorsAreOneSentenceOnStderr_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("missing model") << QStringList{"embed", "--model", "/no/such/model.safetensors", "--text", "x"}
                                       << "no such file";
        QTest::newRow("missing option") << QStringList{"embed", "--text", "x"} << "--model is required";
        QTest::newRow("unknown command") << QStringList{"frobnicate"} << "unknown command";
        QTest::newRow("unknown option") << QStringList{"tokenize", "--frob", "1"} << "unknown option";
        QTest::newRow("bad number") << QStringList{"bench", "--batch", "many"} << "whole number";
        QTest::newRow("bad dataset") << QStringList{"zeroshot", "--model", "/x", "--data", "/no/such/data"}
                                     << "no such file";
        // std::ifstream opens a folder and reads it as empty: it was "0 class names" and the like.
        QTest::newRow("folder as project") << QStringList{"train", "--project", QDir::tempPath()}
                                           << QDir::tempPath() + ": is a folder, not a project file.";
        QTest::newRow("device as project")
            << QStringList{"train", "--project", "/dev/zero"} << "/dev/zero: is a device, not a project file.";
        QTest::newRow("missing project") << QStringList{"train", "--project", "/no/such/project.json"}
                                         << "/no/such/project.json: no such project file.";
    }
    void errorsAreOneSentenceOnStderr()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, fragment);
        const auto r = radapter(args);
        QVERIFY(r.exitCode != 0);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains(fragment), qPrintable(r.err));
    }

    void badImageIsNamed()
    {
        RA_REQUIRE_GOLDEN();
        QTemporaryDir dir;
        const QString bad = dir.path() + "/bad.png";
        ra::test::writeBytes(bad.toStdString(), {1, 2, 3, 4});
        const auto r = radapter(
            {"embed", "--model", ra::test::goldenDir() + "/clip-ref/openai_layout.safetensors", "--image", bad});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains(bad));
        QCOMPARE(r.err.count('\n'), 1);
    }

    // One precedence for the thread count, command line over project over all cores, and train
    // says what it used (the global --threads was once reset by the project's setting).
    void trainUsesTheThreadsItSays_data()
    {
        QTest::addColumn<QStringList>("before");
        QTest::addColumn<QStringList>("after");
        QTest::addColumn<QString>("said");
        QTest::newRow("command line over project")
            << QStringList{"--threads", "1"} << QStringList{} << "1 thread \\(--threads\\)";
        QTest::newRow("project") << QStringList{} << QStringList{} << "2 threads \\(the project's threads setting\\)";
        QTest::newRow("default") << QStringList{} << QStringList{"--set", "threads=0"}
                                 << "[0-9]+ threads? \\(default: all cores\\)";
    }
    void trainUsesTheThreadsItSays()
    {
        QFETCH(QStringList, before);
        QFETCH(QStringList, after);
        QFETCH(QString, said);
        RA_REQUIRE_GOLDEN();
        QTemporaryDir dir;
        const QString project = ra::test::makeColourWorld(dir.path(), 4); // its project says threads 2
        const auto r = radapter(before +
                                QStringList{"--db", dir.path() + "/runs.sqlite", "train", "--project", project, "--set",
                                            "steps=1", "--set", "eval_every=0"} +
                                after);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(
            r.err.contains(QRegularExpression("^radapter train: " + said + "$", QRegularExpression::MultilineOption)),
            qPrintable(r.err));
    }

    // One route to the run store: --db over $RADAPTER_DB over the default, for every command.
    void runStoreIsChosenOneWay()
    {
        RA_REQUIRE_GOLDEN();
        QTemporaryDir dir;
        const QString project = ra::test::makeColourWorld(dir.path(), 4);
        const QString named = dir.path() + "/named.sqlite", fromEnv = dir.path() + "/env.sqlite";
        const QStringList env = {"RADAPTER_DB=" + fromEnv};
        QCOMPARE(
            radapter({"--db", named, "train", "--project", project, "--set", "steps=1", "--quiet"}, {}, env).exitCode,
            0);
        QVERIFY(QFile::exists(named));
        QVERIFY(!QFile::exists(fromEnv));
        QCOMPARE(radapter({"train", "--project", project, "--set", "steps=1", "--quiet"}, {}, env).exitCode, 0);
        QVERIFY(QFile::exists(fromEnv));
        // Each store holds its own one run; the command's own --db reads the same way.
        for (const QString& db : {named, fromEnv}) {
            const auto r = radapter({"runs", "list", "--db", db}, {}, env);
            QCOMPARE(r.exitCode, 0);
            QCOMPARE(r.out.count(QRegularExpression("^\\s*1\\s", QRegularExpression::MultilineOption)), 1);
            QVERIFY2(!r.out.contains(QRegularExpression("^\\s*2\\s", QRegularExpression::MultilineOption)),
                     qPrintable(r.out));
        }
        // The list shows a run's tags, so a tagged run can be found again.
        QCOMPARE(radapter({"runs", "tag", "1", "best run", "--db", named}).exitCode, 0);
        QCOMPARE(radapter({"runs", "tag", "1", "baseline", "--db", named}).exitCode, 0);
        const auto listed = radapter({"runs", "list", "--db", named});
        QVERIFY2(listed.out.contains(
                     QRegularExpression("^\\s*1\\s.* baseline, best run$", QRegularExpression::MultilineOption)),
                 qPrintable(listed.out));
        // A tag is one line of text: a line break split the list's table, an empty tag showed as
        // nothing. Refused as the command line's fault, and the list is as it was.
        for (const QString& bad : {QStringLiteral("two\nlines"), QStringLiteral("tab\there"), QString(),
                                   QStringLiteral(" padded"), QString(101, 'x')}) {
            const auto r = radapter({"runs", "tag", "1", bad, "--db", named});
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.startsWith("radapter runs: runs tag: a tag ") && r.err.count('\n') == 1, qPrintable(r.err));
        }
        QCOMPARE(radapter({"runs", "list", "--db", named}).out, listed.out);
        const auto experiment = radapter(
            {"--db", named, "train", "--project", project, "--experiment", "two\nlines", "--quiet"});
        QCOMPARE(experiment.exitCode, 2);
        QVERIFY2(experiment.err.contains("--experiment: an experiment name is one line"), qPrintable(experiment.err));
        QCOMPARE(radapter({"runs", "list", "--db", named}).out, listed.out);
        // A note: set, printed, in show's JSON, cleared; one text only.
        QCOMPARE(radapter({"runs", "note", "1", "lr 0.01 learned faster", "--db", named}).exitCode, 0);
        QCOMPARE(radapter({"runs", "note", "1", "--db", named}).out.trimmed(),
                 QStringLiteral("lr 0.01 learned faster"));
        const auto shown = nlohmann::json::parse(radapter({"runs", "show", "1", "--db", named}).out.toStdString());
        QCOMPARE(QString::fromStdString(shown[0]["note"]), QStringLiteral("lr 0.01 learned faster"));
        QCOMPARE(radapter({"runs", "note", "1", "two", "texts", "--db", named}).exitCode, 2);
        QCOMPARE(radapter({"runs", "note", "1", "", "--db", named}).exitCode, 0);
        QCOMPARE(radapter({"runs", "note", "1", "--db", named}).out.trimmed(), QString());
        QCOMPARE(radapter({"runs", "note", "7", "x", "--db", named}).exitCode, 1);
        // Deleting says where the run's files stay and their size (they are not removed with it)...
        const QString folder = dir.path() + "/named.sqlite-runs/1";
        const double megabytes = QFileInfo(folder + "/state.pt").size() / 1e6;
        const auto deleted = radapter({"runs", "delete", "1", "--db", named});
        QCOMPARE(deleted.exitCode, 0);
        QCOMPARE(deleted.out.trimmed().split('\n'),
                 QStringList({QStringLiteral("deleted run 1; its files stay in %1 (%2 MB; runs delete --files "
                                             "takes them with the run)")
                                  .arg(folder)
                                  .arg(megabytes, 0, 'f', 1),
                              "it is in the trash: runs restore brings it back, runs trash lists what is there"}));
        QVERIFY(QFile::exists(folder + "/state.pt"));
        // ... unless --files says they go too (into the trash): the run's own folder and nothing else.
        QCOMPARE(radapter({"--db", named, "train", "--project", project, "--set", "steps=1", "--quiet"}).exitCode, 0);
        const QString second = dir.path() + "/named.sqlite-runs/1-2"; // run 1's id again, a fresh folder
        QVERIFY(QFile::exists(second + "/state.pt"));
        QCOMPARE(radapter({"runs", "tag", "1", "x", "--files", "--db", named}).exitCode, 2);
        const auto purged = radapter({"runs", "delete", "1", "--files", "--db", named});
        QCOMPARE(purged.exitCode, 0);
        QVERIFY2(purged.out.startsWith("deleted run 1 and its files (") && purged.out.contains(second),
                 qPrintable(purged.out));
        QVERIFY(!QFileInfo::exists(second));
        QVERIFY(QFile::exists(folder + "/state.pt")); // the earlier run's, kept when it was deleted
        QVERIFY(QFile::exists(named));
        // runs compact gives the deleted runs' space back and says how much, and what the trash
        // still holds (the two deletions, the second with its run's checkpoint).
        const auto compacted = radapter({"runs", "compact", "--db", named});
        QCOMPARE(compacted.exitCode, 0);
        const QStringList said = compacted.out.trimmed().split('\n');
        QCOMPARE(said.size(), 2);
        QVERIFY2(QRegularExpression(QStringLiteral("^.*named\\.sqlite: [0-9.]+ MB -> [0-9.]+ MB$"))
                     .match(said[0])
                     .hasMatch(),
                 qPrintable(compacted.out));
        QVERIFY2(
            QRegularExpression(QStringLiteral("^the trash holds 2 deletions \\([0-9.]+ MB\\); runs empty-trash gives "
                                              "them back$"))
                .match(said[1])
                .hasMatch(),
            qPrintable(compacted.out));
        QCOMPARE(radapter({"runs", "empty-trash", "--db", named}).exitCode, 0);
        QCOMPARE(radapter({"runs", "compact", "--db", named}).out.trimmed().count('\n'), 0); // nothing to say
        QCOMPARE(radapter({"runs", "check", "--db", named}).out.trimmed(), QStringLiteral("ok"));
    }

    // Commands on recorded runs never create a store: a mistyped --db is one sentence naming it,
    // and no empty store is left behind (train without --resume is the one that creates it).
    void commandsOnRunsNeedAnExistingStore()
    {
        QTemporaryDir dir;
        const QString db = dir.path() + "/typo.sqlite", out = dir.path() + "/merged.safetensors";
        const QList<QStringList> commands = {{"sweep", "--run", "1"},
                                             {"eval", "--run", "1", "--data", dir.path()},
                                             {"export", "--run", "1", "--alpha", "0.5", "--out", out},
                                             {"runs", "delete", "1"},
                                             {"runs", "tag", "1", "best"},
                                             {"runs", "list"},
                                             {"train", "--resume", "1"}};
        for (const QStringList& command : commands) {
            const auto r = radapter(QStringList{"--db", db} + command);
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains(db + ": there is no run store here yet"),
                     qPrintable(command.join(' ') + ": " + r.err));
            QCOMPARE(r.err.count('\n'), 1);
            QVERIFY2(!QFile::exists(db), qPrintable(command.join(' ')));
            QVERIFY(!QFile::exists(out));
        }
        // train creates the store, but only once the project and its model have loaded.
        RA_REQUIRE_GOLDEN();
        const QString broken = dir.path() + "/broken.json";
        ra::test::writeBytes(broken.toStdString(), {'{', '"'});
        const QString noModel = dir.path() + "/no-model.json";
        {
            QFile world(ra::test::makeColourWorld(dir.path(), 4));
            QVERIFY(world.open(QIODevice::ReadOnly));
            const QByteArray text = QString::fromUtf8(world.readAll())
                                        .replace(QRegularExpression("\"model\": \"[^\"]*\""),
                                                 "\"model\": \"/no/such/model.safetensors\"")
                                        .toUtf8();
            ra::test::writeBytes(noModel.toStdString(), std::vector<uint8_t>(text.begin(), text.end()));
        }
        for (const QString& project : {broken, noModel}) {
            const auto r = radapter({"--db", db, "train", "--project", project});
            QCOMPARE(r.exitCode, 1);
            QCOMPARE(r.err.count('\n'), 1);
            QVERIFY2(!QFile::exists(db), qPrintable(r.err));
        }
    }

    // radapter eval: a stored run evaluated on data it has never seen; the set is stored with the
    // run (role, metric, alpha rows) and every later sweep includes it. Bad data and taken names
    // get one sentence and leave the run as it was.
    void evalStoresANewSetWithTheRun()
    {
        RA_REQUIRE_GOLDEN();
        QTemporaryDir dir;
        const QString project = ra::test::makeColourWorld(dir.path(), 4);
        const QString db = dir.path() + "/runs.sqlite";
        QCOMPARE(radapter({"--db", db, "train", "--project", project, "--set", "steps=3", "--quiet"}).exitCode, 0);
        auto r = radapter({"--db", db, "eval", "--run", "1", "--data", dir.path() + "/val", "--name", "again"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto out = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(out["set"].get<std::string>(), std::string("again"));
        QCOMPARE(out["alpha"].get<double>(), 0.5); // R-Adapter's default alpha
        // The set's name is one line (the runs list, CSV exports and legends show it).
        const auto twoLines = radapter(
            {"--db", db, "eval", "--run", "1", "--data", dir.path() + "/val", "--name", "two\nlines"});
        QCOMPARE(twoLines.exitCode, 2);
        QVERIFY2(twoLines.err.contains("--name: a set's name is one line"), qPrintable(twoLines.err));
        const double top1 = out["metrics"]["top1"].get<double>();
        QVERIFY(top1 >= 0 && top1 <= 1);

        r = radapter({"--db", db, "runs", "show", "1"});
        const auto shown = nlohmann::json::parse(r.out.toStdString()).at(0);
        QCOMPARE(shown["params"]["set/again"].get<std::string>(), std::string("ood"));
        int finals = 0;
        for (const auto& m : shown["metrics"])
            if (m["key"] == "final/again") {
                QCOMPARE(m["value"].get<double>(), top1);
                ++finals;
            }
        QCOMPARE(finals, 1);
        // A sweep now includes the new set, with the same number at the same alpha.
        r = radapter({"--db", db, "sweep", "--run", "1", "--alphas", "0:1:0.5"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto swept = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(swept["top1"]["0.5"]["again"].get<double>(), top1);
        QVERIFY(swept["top1"]["0.5"].contains("grey"));

        const auto before = radapter({"--db", db, "runs", "show", "1"}).out;
        for (const QStringList& bad : {QStringList{"--data", dir.path() + "/missing"},
                                       QStringList{"--data", dir.path() + "/val", "--name", "grey"},
                                       QStringList{"--data", dir.path() + "/val", "--name", "a/b"}}) {
            r = radapter(QStringList{"--db", db, "eval", "--run", "1"} + bad);
            QCOMPARE(r.exitCode, 1);
            QCOMPARE(r.err.trimmed().count('\n'), 0);
            QVERIFY2(r.err.contains("missing") || r.err.contains("grey") || r.err.contains("a/b"), qPrintable(r.err));
        }
        QCOMPARE(radapter({"--db", db, "runs", "show", "1"}).out, before);
        r = radapter({"--db", db, "eval", "--run", "7", "--data", dir.path() + "/val"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no run 7"), qPrintable(r.err));
    }

    // train --set early_stop_patience: the run ends when ID validation stops rising, as finished,
    // saying at which step and whose weights it keeps; the store keeps the same sentence.
    void trainStopsEarlyAndSaysWhichWeightsItKeeps()
    {
        RA_REQUIRE_GOLDEN();
        QTemporaryDir dir;
        const QString project = ra::test::makeColourWorld(dir.path(), 4);
        const QString db = dir.path() + "/runs.sqlite";
        // No evaluation gains more than 100 points: the first evaluation (step 1) stays the best.
        auto r = radapter({"--db", db, "train", "--project", project, "--set", "steps=20", "--set", "eval_every=1",
                           "--set", "early_stop_patience=2", "--set", "early_stop_min_delta=100", "--quiet"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto out = nlohmann::json::parse(r.out.trimmed().split('\n').last().toStdString());
        QCOMPARE(out["status"].get<std::string>(), std::string("finished"));
        QCOMPARE(out["steps"].get<int>(), 3);
        const std::string message = out["message"];
        QVERIFY2(message.find("stopped early at step 3 of 20") != std::string::npos &&
                     message.find("the weights of step 1") != std::string::npos,
                 message.c_str());
        r = radapter({"--db", db, "runs", "show", "1"});
        const auto shown = nlohmann::json::parse(r.out.toStdString()).at(0);
        QCOMPARE(shown["message"].get<std::string>(), message);
        QCOMPARE(shown["params"]["early_stop_patience"].get<std::string>(), std::string("2"));
        // Refused before a run is made: nothing to watch without periodic evaluations.
        r = radapter(
            {"--db", db, "train", "--project", project, "--set", "eval_every=0", "--set", "early_stop_patience=2"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("eval_every") && r.err.trimmed().count('\n') == 0, qPrintable(r.err));
        QCOMPARE(nlohmann::json::parse(radapter({"--db", db, "runs", "export"}).out.toStdString()).size(), size_t(1));
    }

    // classify: one JSON line per image, its K most probable classes best first, at the run's alpha
    // unless --alpha says otherwise (that the ranking is the evaluation's: tst_engine).
    void classifyPrintsEachImagesClasses()
    {
        RA_REQUIRE_GOLDEN();
        QTemporaryDir dir;
        const QString project = ra::test::makeColourWorld(dir.path(), 8);
        const QString db = dir.path() + "/runs.sqlite";
        QCOMPARE(radapter({"--db", db, "train", "--project", project, "--set", "steps=3", "--quiet"}).exitCode, 0);
        const QStringList images{dir.path() + "/val/red/0.ppm", dir.path() + "/val/green/1.ppm",
                                 dir.path() + "/val/blue/2.ppm"};
        auto r = radapter(QStringList{"--db", db, "classify", "--run", "1", "--top", "3"} + images);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QStringList lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        for (int i = 0; i < 3; ++i) {
            const auto j = nlohmann::json::parse(lines[i].toStdString());
            QCOMPARE(QString::fromStdString(j["image"]), images[i]);
            QCOMPARE(j["alpha"].get<double>(), 0.5);
            const auto& p = j["predictions"];
            QCOMPARE(p.size(), size_t(3));
            QVERIFY(p[0]["probability"] >= p[1]["probability"] && p[1]["probability"] >= p[2]["probability"]);
            const double sum = p[0]["probability"].get<double>() + p[1]["probability"].get<double>() +
                p[2]["probability"].get<double>();
            QVERIFY(std::abs(sum - 1) < 1e-5);
            QStringList classes;
            for (const auto& guess : p) classes << QString::fromStdString(guess["class"]);
            classes.sort();
            QCOMPARE(classes, (QStringList{"blue", "green", "red"}));
        }
        r = radapter({"--db", db, "classify", "--run", "1", "--alpha", "0", "--top", "1", images[0]});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(nlohmann::json::parse(r.out.toStdString())["predictions"].size(), size_t(1));
        // A file that is not an image is named; no image at all is a usage error.
        r = radapter({"--db", db, "classify", "--run", "1", project});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(project) && r.err.trimmed().count('\n') == 0, qPrintable(r.err));
        QCOMPARE(radapter({"--db", db, "classify", "--run", "1"}).exitCode, 2);
    }

    // `search`: one stored run per combination of the grid, all tagged, each with its settings;
    // the combinations ranked by the mean of their runs' final ID validation accuracy (over the
    // seeds); a value that cannot run is refused before anything trains or any store is made.
    void searchRunsEveryCombinationRankedOnValidation()
    {
        RA_REQUIRE_GOLDEN();
        QTemporaryDir dir;
        const QString project = ra::test::makeColourWorld(dir.path(), 4);
        const QString db = dir.path() + "/runs.sqlite";
        auto r = radapter({"--db", db, "search", "--project", project, "--grid", "lr=0.0005,0.02", "--grid", "seed=0,1",
                           "--set", "steps=3", "--tag", "lr-search", "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("search 4/4  lr=0.02 seed=1  run 4  finished"), qPrintable(r.err));
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["tag"].get<std::string>(), std::string("lr-search"));
        QCOMPARE(j["ranked_on"].get<std::string>(), std::string("val"));
        QCOMPARE(j["runs"].get<int>(), 4);
        const auto& groups = j["groups"];
        QCOMPARE(groups.size(), size_t(2));
        QVERIFY(groups[0]["id"]["mean"].get<double>() >= groups[1]["id"]["mean"].get<double>());
        QVERIFY(j["best"] == groups[0]["settings"]);
        std::set<int64_t> seen;
        for (const auto& g : groups) {
            QCOMPARE(g["finished"].get<int>(), 2);
            QVERIFY(!g["settings"].contains("seed")); // the seeds are one combination's repeats
            const std::string lr = g["settings"]["lr"];
            std::vector<double> accuracies;
            std::set<std::string> seeds;
            for (const auto& id : g["runs"]) {
                seen.insert(id.get<int64_t>());
                r = radapter({"--db", db, "runs", "show", QString::number(id.get<int64_t>())});
                const auto run = nlohmann::json::parse(r.out.toStdString())[0];
                QCOMPARE(run["params"]["lr"].get<std::string>(), lr);
                QVERIFY(run["tags"] == nlohmann::json::array({"lr-search"}));
                seeds.insert(run["params"]["seed"].get<std::string>());
                for (const auto& m : run["metrics"])
                    if (m["key"] == "final/val") accuracies.push_back(m["value"].get<double>());
            }
            QCOMPARE(seeds, (std::set<std::string>{"0", "1"}));
            QCOMPARE(accuracies.size(), size_t(2));
            const double mean = (accuracies[0] + accuracies[1]) / 2;
            QVERIFY(std::abs(g["id"]["mean"].get<double>() - mean) < 1e-9);
            QVERIFY(std::abs(g["id"]["std"].get<double>() - std::abs(accuracies[0] - accuracies[1]) / std::sqrt(2.0)) <
                    1e-9);
        }
        QCOMPARE(seen, (std::set<int64_t>{1, 2, 3, 4}));
        // The same search again, with a value added: the four finished runs are reused, one trains.
        r = radapter({"--db", db, "search", "--project", project, "--grid", "lr=5e-4,0.02,0.005", "--grid", "seed=0,1",
                      "--set", "steps=3", "--tag", "lr-search", "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.err.count("finished earlier: reused"), 4);
        const auto again = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(again["groups"].size(), size_t(3));
        std::set<int64_t> ids;
        for (const auto& g : again["groups"])
            for (const auto& id : g["runs"]) ids.insert(id.get<int64_t>());
        QCOMPARE(ids, (std::set<int64_t>{1, 2, 3, 4, 5, 6}));
        // The search's runs by their tag: listed and exported together; a tag no run has is said.
        QCOMPARE(radapter({"--db", db, "runs", "tag", "1", "other"}).exitCode, 0);
        r = radapter({"--db", db, "runs", "list", "--tag", "other"});
        QCOMPARE(r.out.trimmed().split('\n').size(), 2); // the header and run 1
        r = radapter({"--db", db, "runs", "export", "--tag", "lr-search"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(nlohmann::json::parse(r.out.toStdString()).size(), size_t(6));
        r = radapter({"--db", db, "runs", "export", "--tag", "nobody"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no run is tagged 'nobody'") && r.out.isEmpty(), qPrintable(r.err));
        // Refused before anything runs: a value that cannot run, a setting both set and searched.
        const QString fresh = dir.path() + "/none.sqlite";
        r = radapter({"--db", fresh, "search", "--project", project, "--grid", "lr=0.001,fast"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--grid lr=fast") && r.err.trimmed().count('\n') == 0, qPrintable(r.err));
        r = radapter({"--db", fresh, "search", "--project", project, "--grid", "lr=0.001", "--set", "lr=0.01"});
        QCOMPARE(r.exitCode, 2);
        // A --set value the setting refuses is the command line's fault too, for search and train
        // (it was exit status 1, the status of bad data).
        for (const QString& command : {QStringLiteral("search"), QStringLiteral("train")}) {
            QStringList args{"--db", fresh, command, "--project", project, "--set", "batch=1"};
            if (command == "search")
                args << "--grid"
                     << "lr=0.001";
            r = radapter(args);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains("setting batch: 1 is outside") && r.err.trimmed().count('\n') == 0,
                     qPrintable(r.err));
        }
        QVERIFY(!QFileInfo::exists(fresh));
    }

    // runs import brings what runs export wrote into another store (a search run on a server, the
    // Studio on a laptop): every record as it was, under new ids; a malformed file adds nothing.
    void importBringsExportedRunsIntoAnotherStore()
    {
        RA_REQUIRE_GOLDEN();
        QTemporaryDir dir;
        const QString project = ra::test::makeColourWorld(dir.path(), 4);
        const QString from = dir.path() + "/server.sqlite", to = dir.path() + "/laptop.sqlite";
        QCOMPARE(radapter({"--db", from, "train", "--project", project, "--set", "steps=3", "--quiet"}).exitCode, 0);
        QCOMPARE(radapter({"--db", from, "runs", "tag", "1", "lr-search"}).exitCode, 0);
        QCOMPARE(radapter({"--db", from, "runs", "note", "1", "from the server"}).exitCode, 0);
        QCOMPARE(radapter({"--db", from, "sweep", "--run", "1", "--alphas", "0:1:0.5"}).exitCode, 0);
        const auto exported = radapter({"--db", from, "runs", "export"});
        QCOMPARE(exported.exitCode, 0);
        const QString file = dir.path() + "/runs.json";
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(exported.out.toUtf8());
        out.close();
        auto r = radapter({"--db", to, "runs", "import", file});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out.trimmed(), QStringLiteral("imported 1 run: 1"));
        const auto original = nlohmann::json::parse(radapter({"--db", from, "runs", "show", "1"}).out.toStdString());
        const auto copy = nlohmann::json::parse(radapter({"--db", to, "runs", "show", "1"}).out.toStdString());
        QVERIFY(!original[0]["metrics"].empty() && !original[0]["alpha_evaluations"].empty());
        QVERIFY2(original == copy, qPrintable(QString::fromStdString(copy.dump().substr(0, 400))));
        r = radapter({"--db", to, "runs", "import", file}); // again: a second copy, a new id
        QCOMPARE(r.out.trimmed(), QStringLiteral("imported 1 run: 2"));
        // A file that is not an export: one sentence naming it, nothing added.
        QFile bad(dir.path() + "/bad.json");
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write(exported.out.toUtf8().replace("\"step\"", "\"stop\""));
        bad.close();
        r = radapter({"--db", to, "runs", "import", bad.fileName()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("bad.json: run 1 is not as runs export writes it") &&
                     r.err.contains("nothing was imported") && r.err.trimmed().count('\n') == 0,
                 qPrintable(r.err));
        QCOMPARE(radapter({"--db", to, "runs", "list"}).out.trimmed().split('\n').size(), 3); // header and two runs
        // Into a store that is not there yet: made only by an import that succeeds.
        const QString fresh = dir.path() + "/fresh/runs.sqlite";
        for (const QString& wrong : {bad.fileName(), dir.path() + "/missing.json"}) {
            r = radapter({"--db", fresh, "runs", "import", wrong});
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains(QFileInfo(wrong).fileName()) && r.err.trimmed().count('\n') == 0,
                     qPrintable(r.err));
            QVERIFY(!QFileInfo::exists(fresh) && !QFileInfo::exists(dir.path() + "/fresh"));
        }
        r = radapter({"--db", fresh, "runs", "import", file});
        QCOMPARE(r.out.trimmed(), QStringLiteral("imported 1 run: 1"));
        // From a pipe (bash's process substitution, as from another machine over ssh) into a new
        // store: read once, for the scratch store and the real one (the second read of the pipe
        // found it empty: "not JSON", and an empty store was left behind).
        QProcess shell;
        const QString piped = dir.path() + "/piped.sqlite";
        shell.start("bash", {"-c", QStringLiteral("'%1' --db '%2' runs import <(cat '%3')").arg(RA_CLI, piped, file)});
        QVERIFY(shell.waitForFinished(120000));
        QVERIFY2(shell.exitCode() == 0, shell.readAllStandardError().constData());
        QCOMPARE(QString::fromUtf8(shell.readAllStandardOutput()).trimmed(), QStringLiteral("imported 1 run: 1"));
        // A device is never read (/dev/zero has no end), a folder is named as one: nothing is made.
        for (const QString& wrong : {QStringLiteral("/dev/zero"), dir.path()}) {
            r = radapter({"--db", dir.path() + "/never.sqlite", "runs", "import", wrong});
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.startsWith("radapter runs: " + wrong + ": is a ") && r.err.trimmed().count('\n') == 0,
                     qPrintable(r.err));
            QVERIFY(!QFileInfo::exists(dir.path() + "/never.sqlite"));
        }
    }

    // runs delete keeps the run in the store's trash (with its files when --files takes them): runs
    // trash lists the deletions, runs restore brings the newest (or #N) back as it was, runs
    // empty-trash removes them and gives their space back.
    void deletedRunsWaitInTheTrash()
    {
        RA_REQUIRE_GOLDEN();
        QTemporaryDir dir;
        const QString project = ra::test::makeColourWorld(dir.path(), 4);
        const QString db = dir.path() + "/runs.sqlite";
        for (int i = 0; i < 2; ++i)
            QCOMPARE(radapter({"--db", db, "train", "--project", project, "--set", "steps=1", "--quiet"}).exitCode, 0);
        const QString first = radapter({"--db", db, "runs", "show", "1"}).out;
        auto r = radapter({"--db", db, "runs", "delete", "1"});
        QVERIFY2(r.exitCode == 0 && r.out.contains("in the trash"), qPrintable(r.out + r.err));
        QCOMPARE(radapter({"--db", db, "runs", "delete", "2", "--files"}).exitCode, 0);
        r = radapter({"--db", db, "runs", "trash"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QStringList lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3); // the header and two deletions, the newest first
        QVERIFY2(lines[1].startsWith("1 ") && lines[1].contains(" 2 radapter"), qPrintable(lines[1]));
        QVERIFY2(lines[2].startsWith("2 ") && lines[2].contains(" 1 radapter"), qPrintable(lines[2]));
        r = radapter({"--db", db, "runs", "restore", "2"}); // the older deletion
        QCOMPARE(r.out.trimmed(), QStringLiteral("restored 1 run: 1"));
        QCOMPARE(radapter({"--db", db, "runs", "show", "1"}).out, first);
        // Run 2 went with its files: they waited in the trash and come back with it, so the run
        // sweeps again from its checkpoint.
        QVERIFY(!QFileInfo::exists(dir.path() + "/runs/2"));
        QCOMPARE(radapter({"--db", db, "runs", "restore"}).out.trimmed(), QStringLiteral("restored 1 run: 2"));
        QVERIFY(QFileInfo::exists(dir.path() + "/runs/2/state.pt"));
        r = radapter({"--db", db, "sweep", "--run", "2", "--alphas", "0:1:1"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = radapter({"--db", db, "runs", "restore"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("the trash is empty") && r.err.trimmed().count('\n') == 0, qPrintable(r.err));
        QCOMPARE(radapter({"--db", db, "runs", "delete", "1", "--files"}).exitCode, 0);
        r = radapter({"--db", db, "runs", "trash"});
        QVERIFY2(r.out.contains(" 1 radapter") && r.out.contains("(with their files)"), qPrintable(r.out));
        r = radapter({"--db", db, "runs", "empty-trash"});
        QVERIFY2(r.exitCode == 0 && r.out.startsWith("emptied the trash") && r.out.contains(" MB)"),
                 qPrintable(r.out + r.err)); // the checkpoint's space given back
        QCOMPARE(QDir(dir.path() + "/runs/trash").entryList(QDir::NoDotAndDotDot | QDir::AllEntries), QStringList());
        QCOMPARE(radapter({"--db", db, "runs", "trash"}).out.trimmed().split('\n').size(), 1);
        QCOMPARE(radapter({"--db", db, "runs", "list"}).out.trimmed().split('\n').size(), 2); // header and run 2
    }

    // Random search: --samples draws from --range, each draw one stored run with the drawn values;
    // the same command again reuses every run, more samples extend the same draws.
    void searchDrawsSamplesFromRanges()
    {
        RA_REQUIRE_GOLDEN();
        QTemporaryDir dir;
        const QString project = ra::test::makeColourWorld(dir.path(), 4);
        const QString db = dir.path() + "/runs.sqlite";
        const QStringList search = {
            "--db",    db,          "search", "--project", project, "--range", "lr=1e-4:1e-2:log",
            "--range", "p=0.1:0.3", "--set",  "steps=2",   "--tag", "random",  "--json"};
        auto r = radapter(search + QStringList{"--samples", "3"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["runs"].get<int>(), 3);
        QCOMPARE(j["groups"].size(), size_t(3));
        std::set<std::string> draws;
        for (const auto& g : j["groups"]) {
            const std::string lr = g["settings"]["lr"], p = g["settings"]["p"];
            QVERIFY(ra::test::number(lr) >= 1e-4 && ra::test::number(lr) <= 1e-2 && ra::test::number(p) >= 0.1 &&
                    ra::test::number(p) <= 0.3);
            draws.insert(lr + " " + p);
            r = radapter({"--db", db, "runs", "show", QString::number(g["runs"][0].get<int64_t>())});
            const auto run = nlohmann::json::parse(r.out.toStdString())[0];
            QCOMPARE(run["params"]["lr"].get<std::string>(), lr); // the run trained with the drawn values
            QCOMPARE(run["params"]["p"].get<std::string>(), p);
        }
        QCOMPARE(draws.size(), size_t(3));
        r = radapter(search + QStringList{"--samples", "4"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.err.count("finished earlier: reused"), 3);
        QCOMPARE(nlohmann::json::parse(r.out.toStdString())["groups"].size(), size_t(4));
        // Refused before anything runs: ranges without samples, samples without ranges, a log
        // range through 0, a setting both drawn and listed.
        const QString fresh = dir.path() + "/none.sqlite";
        const QStringList base = {"--db", fresh, "search", "--project", project};
        for (const QStringList& bad : {QStringList{"--range", "lr=1e-4:1e-2"},
                                       {"--grid", "lr=0.001", "--samples", "3"},
                                       {"--range", "lr=0:1e-2:log", "--samples", "2"},
                                       {"--range", "lr=1e-4:1e-2", "--grid", "lr=0.1", "--samples", "2"}}) {
            r = radapter(base + bad);
            QVERIFY2(r.exitCode == 2 && r.err.trimmed().count('\n') == 0, qPrintable(bad.join(' ') + ": " + r.err));
        }
        QVERIFY(!QFileInfo::exists(fresh));
    }

    // search --halving: three learning rates trained to a third of the steps, the best one by ID
    // validation accuracy there goes on to the end, the others are left interrupted with why (and
    // resume by hand). The one that went on ends as the same run trained in one go would.
    void searchHalvesTheCombinations()
    {
        RA_REQUIRE_GOLDEN();
        QTemporaryDir dir;
        const QString project = ra::test::makeColourWorld(dir.path(), 4);
        const QString db = dir.path() + "/runs.sqlite";
        const QStringList search{
            "--db",  db,        "search", "--project",    project,     "--grid", "lr=0.0001,0.003,0.03",
            "--set", "steps=9", "--set",  "eval_every=0", "--halving", "--tag",  "halving",
            "--json"};
        auto r = radapter(search);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("rung 1 of 2, 3 combinations to step 3") && r.err.contains("the best 1 of 3 go on"),
                 qPrintable(r.err));
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["runs"].get<int>(), 3);
        QCOMPARE(j["halving"].size(), size_t(1));
        const auto& rung = j["halving"][0];
        QCOMPARE(rung["step"].get<int>(), 3);
        QCOMPARE(rung["kept"].get<int>(), 1);
        QVERIFY(rung["scores"][0]["id"].get<double>() >= rung["scores"][1]["id"].get<double>());
        QVERIFY(rung["scores"][1]["id"].get<double>() >= rung["scores"][2]["id"].get<double>());
        // The ranking: the combination that went on first and complete, the others after it.
        const auto& best = j["groups"][0];
        QVERIFY(best["settings"] == rung["scores"][0]["settings"]);
        QCOMPARE(best["finished"].get<int>(), 1);
        QVERIFY(j["best"] == best["settings"]);
        const int64_t kept = best["runs"][0];
        for (int g = 1; g < 3; ++g) {
            QCOMPARE(j["groups"][g]["finished"].get<int>(), 0);
            const int64_t cut = j["groups"][g]["runs"][0];
            const auto run = nlohmann::json::parse(
                radapter({"--db", db, "runs", "show", QString::number(cut)}).out.toStdString())[0];
            QCOMPARE(run["status"].get<std::string>(), std::string("interrupted"));
            // Its score at the rung is also the point of its ID curve there.
            const auto scored = std::find_if(rung["scores"].begin(), rung["scores"].end(), [&](const auto& s) {
                return s["settings"] == j["groups"][g]["settings"];
            });
            QVERIFY(scored != rung["scores"].end());
            int points = 0;
            for (const auto& m : run["metrics"])
                if (m["key"] == "acc/val") {
                    QCOMPARE(m["step"].get<int>(), 3);
                    QCOMPARE(m["value"].get<double>(), (*scored)["id"].get<double>());
                    ++points;
                }
            QCOMPARE(points, 1);
            const std::string message = run["message"];
            QVERIFY2(message.find("cut by successive halving at step 3 of 9: ID val ") == 0 &&
                         message.find("of 3; the best 1 went on. Resuming it trains it on.") != std::string::npos,
                     message.c_str());
        }
        // The same search again: the finished run reused, the cut ones taken up where they were
        // cut, scored as they were there: nothing trains, and the outcome is the same.
        r = radapter(search);
        QVERIFY2(r.exitCode == 0 && !r.err.contains("to step") && r.err.count("finished earlier: reused") == 1 &&
                     r.err.count("interrupted earlier at step 3: continued") == 2,
                 qPrintable(r.err));
        const auto again = nlohmann::json::parse(r.out.toStdString());
        QVERIFY(again["halving"] == j["halving"] && again["groups"] == j["groups"]);
        // A rung's score lost (a stop while the run was scored there, its checkpoint at the rung):
        // the same search scores it at the rung without a step more, so the outcome is the same.
        const int64_t unscored = j["groups"][1]["runs"][0];
        {
            sqlite3* raw = nullptr;
            QCOMPARE(sqlite3_open(db.toUtf8().constData(), &raw), SQLITE_OK);
            const std::string forget = "DELETE FROM metrics WHERE key = 'halving/val' AND run_id = " +
                std::to_string(unscored);
            QCOMPARE(sqlite3_exec(raw, forget.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
            sqlite3_close(raw);
        }
        r = radapter(search);
        QVERIFY2(r.exitCode == 0 && r.err.count("to step 3") == 2, qPrintable(r.err)); // the rung, and that run
        QVERIFY(nlohmann::json::parse(r.out.toStdString())["halving"] == j["halving"]);
        const auto exported = nlohmann::json::parse(
            radapter({"--db", db, "runs", "export", QString::number(unscored)}).out.toStdString());
        int lastStep = 0;
        for (const auto& m : exported[0]["metrics"])
            if (m["key"] == "loss") lastStep = std::max(lastStep, m["step"].get<int>());
        QCOMPARE(lastStep, 3);
        // A cut run trains on by hand, from step 3 to the end.
        const int64_t cut = j["groups"][2]["runs"][0];
        r = radapter({"--db", db, "train", "--resume", QString::number(cut), "--quiet"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto resumed = nlohmann::json::parse(r.out.trimmed().split('\n').last().toStdString());
        QCOMPARE(resumed["status"].get<std::string>(), std::string("finished"));
        QCOMPARE(resumed["steps"].get<int>(), 9);
        // The kept run, trained from step 3 on, ends as one trained in one go.
        r = radapter({"--db", db, "train", "--project", project, "--set",
                      "lr=" + QString::fromStdString(best["settings"]["lr"].get<std::string>()), "--set", "steps=9",
                      "--set", "eval_every=0", "--quiet"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto whole = nlohmann::json::parse(r.out.trimmed().split('\n').last().toStdString());
        const auto halved = nlohmann::json::parse(
            radapter({"--db", db, "runs", "show", QString::number(kept)}).out.toStdString())[0];
        QCOMPARE(halved["status"].get<std::string>(), std::string("finished"));
        QCOMPARE(best["id"]["mean"].get<double>(), whole["accuracy"]["val"].get<double>());
        // Refused before anything runs: a searched step count, a schedule in epochs.
        const QString fresh = dir.path() + "/none.sqlite";
        for (const QStringList& bad :
             {QStringList{"--grid", "steps=3,9"}, {"--grid", "lr=0.001,0.01", "--set", "epochs=1"}}) {
            r = radapter(QStringList{"--db", fresh, "search", "--project", project, "--halving"} + bad);
            QVERIFY2(r.exitCode == 2 && r.err.contains("--halving") && r.err.trimmed().count('\n') == 0,
                     qPrintable(bad.join(' ') + ": " + r.err));
        }
        QVERIFY(!QFileInfo::exists(fresh));
    }

    // A Bayesian search: three random draws (the random search's own), then one chosen by TPE from
    // their scores; each draw's score is its run's ID accuracy; the same search again draws the
    // same values and trains nothing; refusals before anything runs.
    void searchChoosesLaterDrawsByTpe()
    {
        RA_REQUIRE_GOLDEN();
        QTemporaryDir dir;
        const QString project = ra::test::makeColourWorld(dir.path(), 4);
        const QString db = dir.path() + "/runs.sqlite";
        const QStringList search{
            "--db",  db,        "search", "--project",    project,     "--range", "lr=1e-4:3e-2:log",
            "--set", "steps=3", "--set",  "eval_every=0", "--samples", "4",       "--bayes",
            "--tag", "tpe",     "--json"};
        auto r = radapter(search);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.count("at random (the start)") == 3 &&
                     r.err.contains("draw 4 of 4, chosen by TPE from the 3 scores"),
                 qPrintable(r.err));
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["runs"].get<int>(), 4);
        QCOMPARE(j["planned"].get<int>(), 4);
        const auto& draws = j["bayes"];
        QCOMPARE(draws.size(), size_t(4));
        const auto random = nlohmann::json::parse(
            radapter({"--db", dir.path() + "/random.sqlite", "search", "--project", project, "--range",
                      "lr=1e-4:3e-2:log", "--set", "steps=3", "--set", "eval_every=0", "--samples", "3", "--json",
                      "--quiet"})
                .out.toStdString());
        std::set<std::string> values;
        for (size_t d = 0; d < 4; ++d) {
            QCOMPARE(draws[d]["chosen_by"].get<std::string>(), std::string(d < 3 ? "random" : "tpe"));
            values.insert(draws[d]["settings"]["lr"].get<std::string>());
            // The draw's score is its run's final ID accuracy, as the ranking has it.
            for (const auto& g : j["groups"])
                if (g["settings"] == draws[d]["settings"])
                    QCOMPARE(draws[d]["score"].get<double>(), g["id"]["mean"].get<double>());
        }
        QCOMPARE(values.size(), size_t(4));
        // What mattered: lr, the one setting searched, against the four runs' ID accuracy.
        QCOMPARE(j["importance"].size(), size_t(1));
        QCOMPARE(j["importance"][0]["setting"].get<std::string>(), std::string("lr"));
        std::vector<double> rates, scores;
        for (const auto& d : draws) {
            rates.push_back(ra::test::number(d["settings"]["lr"].get<std::string>()));
            scores.push_back(d["score"].get<double>());
        }
        QVERIFY(std::abs(j["importance"][0]["correlation"].get<double>() - ra::spearman(rates, scores)) < 1e-12);
        std::set<std::string> randomValues;
        for (const auto& g : random["groups"]) randomValues.insert(g["settings"]["lr"].get<std::string>());
        for (size_t d = 0; d < 3; ++d) QVERIFY(randomValues.count(draws[d]["settings"]["lr"].get<std::string>()));
        // Again with its tag: the same draws, every run reused.
        r = radapter(search);
        QVERIFY2(r.exitCode == 0 && r.err.count("finished earlier: reused") == 4, qPrintable(r.err));
        const auto again = nlohmann::json::parse(r.out.toStdString());
        QVERIFY(again["bayes"] == draws && again["groups"] == j["groups"]);
        // Refused: with --halving, without ranges.
        const QString fresh = dir.path() + "/none.sqlite";
        for (const QStringList& bad : {QStringList{"--range", "lr=1e-4:1e-2", "--samples", "4", "--halving"},
                                       {"--grid", "lr=0.001,0.01", "--samples", "4"}}) {
            r = radapter(QStringList{"--db", fresh, "search", "--project", project, "--bayes"} + bad);
            QVERIFY2(r.exitCode == 2 && r.err.contains("--bayes") && r.err.trimmed().count('\n') == 0,
                     qPrintable(bad.join(' ') + ": " + r.err));
        }
        QVERIFY(!QFileInfo::exists(fresh));
    }

    // `embed --set` writes an evaluation set's embeddings for TensorBoard's projector: one unit
    // vector a line, and metadata whose predictions are the ones `classify` gives for those files.
    void embedSetWritesProjectorFiles()
    {
        RA_REQUIRE_GOLDEN();
        QTemporaryDir dir;
        const QString project = ra::test::makeColourWorld(dir.path(), 8);
        const QString db = dir.path() + "/runs.sqlite", out = dir.path() + "/map";
        QCOMPARE(radapter({"--db", db, "train", "--project", project, "--set", "steps=3", "--quiet"}).exitCode, 0);
        auto r = radapter({"--db", db, "embed", "--run", "1", "--set", "val", "--out", out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto summary = nlohmann::json::parse(r.out.toStdString());
        const int images = summary["images"];
        QCOMPARE(images, summary["of"].get<int>());
        QCOMPARE(summary["alpha"].get<double>(), 0.5);
        const QStringList vectors = readText(out + "/vectors.tsv").trimmed().split('\n');
        const QStringList metadata = readText(out + "/metadata.tsv").trimmed().split('\n');
        QCOMPARE(vectors.size(), images);
        QCOMPARE(metadata.size(), images + 1);
        QCOMPARE(metadata[0], QString("class\tprediction\tright\tfile"));
        for (const QString& line : vectors) {
            double norm = 0;
            for (const QString& v : line.split('\t')) norm += v.toDouble() * v.toDouble();
            QVERIFY(std::abs(norm - 1) < 1e-4);
        }
        QStringList files, predictions;
        int right = 0;
        for (int i = 1; i <= images; ++i) {
            const QStringList cells = metadata[i].split('\t');
            QCOMPARE(cells.size(), 4);
            predictions << cells[1];
            files << cells[3];
            right += cells[2] == "yes";
            QCOMPARE(cells[2] == "yes", cells[0] == cells[1]);
        }
        QCOMPARE(summary["accuracy"].get<double>(), double(right) / images);
        r = radapter(QStringList{"--db", db, "classify", "--run", "1", "--top", "1"} + files);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QStringList lines = r.out.trimmed().split('\n');
        for (int i = 0; i < images; ++i)
            QCOMPARE(QString::fromStdString(nlohmann::json::parse(lines[i].toStdString())["predictions"][0]["class"]),
                     predictions[i]);

        // An existing map is kept without --force; the store is never written over; a set the
        // run lacks is named.
        r = radapter({"--db", db, "embed", "--run", "1", "--set", "val", "--limit", "5", "--out", out});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("vectors.tsv") && r.err.trimmed().count('\n') == 0, qPrintable(r.err));
        QCOMPARE(readText(out + "/metadata.tsv").trimmed().split('\n').size(), images + 1);
        r = radapter({"--db", db, "embed", "--run", "1", "--set", "val", "--limit", "5", "--out", out, "--force"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(readText(out + "/vectors.tsv").trimmed().split('\n').size(), 5);
        r = radapter({"--db", db, "embed", "--run", "1", "--set", "val", "--out", db, "--force"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(db) && QFileInfo(db).size() > 0, qPrintable(r.err));
        r = radapter({"--db", db, "embed", "--run", "1", "--set", "nowhere", "--out", out, "--force"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("nowhere") && r.err.trimmed().count('\n') == 0, qPrintable(r.err));
    }

    void benchPrintsThroughput()
    {
        // A tiny run of the real benchmark path (ViT-B/32, one image, one step) to check the format.
        const auto r = radapter({"bench", "--batch", "1", "--steps", "1", "--warmup", "0", "--threads", "2"});
        QCOMPARE(r.exitCode, 0);
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QVERIFY(j["inference_img_per_s"].get<double>() > 0);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
