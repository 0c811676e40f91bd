// A bounded, seeded mutation fuzzer over what users hand the program: checkpoints (safetensors,
// TorchScript .pt zips, Hugging Face configs), project files and CLI arguments. Every mutant must
// either load (and then hold only finite weights) or be refused with ra::Error naming the file;
// any other exception, a crash or a hang fails. The seed is fixed so a failure reproduces; set
// RADAPTER_FUZZ_ITERATIONS to run longer. libFuzzer targets for deeper runs: tests/fuzz/.
#include "enginefixture.h"

#include "io/checkpoint.h"
#include "project/project.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cstdlib>
#include <random>

namespace {

using Bytes = std::vector<uint8_t>;

int iterations(int fallback)
{
    const char* v = std::getenv("RADAPTER_FUZZ_ITERATIONS");
    return v ? std::max(1, std::atoi(v)) : fallback;
}

// One random edit: flipped bits, a byte set to an extreme, a cut, a repeated or removed span, or
// a 64-bit field overwritten. WINDOW limits where edits land (e.g. a safetensors header).
void mutate(Bytes& b, std::mt19937_64& rng, size_t window)
{
    if (b.empty()) return;
    const size_t limit = std::min(window, b.size());
    auto at = [&] { return size_t(rng() % limit); };
    switch (rng() % 6) {
    case 0:
        for (int i = 0, n = 1 + int(rng() % 8); i < n; ++i) b[at()] ^= uint8_t(1u << (rng() % 8));
        break;
    case 1: b[at()] = std::array<uint8_t, 4>{0x00, 0xFF, 0x7F, 0x80}[rng() % 4]; break;
    case 2: b.resize(at()); break;
    case 3: {
        const size_t p = at(), n = std::min<size_t>(1 + rng() % 64, b.size() - p);
        b.insert(b.begin() + long(p), b.begin() + long(p), b.begin() + long(p + n));
        break;
    }
    case 4: {
        const size_t p = at(), n = std::min<size_t>(1 + rng() % 64, b.size() - p);
        b.erase(b.begin() + long(p), b.begin() + long(p + n));
        break;
    }
    default: {
        const size_t p = at();
        const uint64_t v = std::array<uint64_t, 4>{0, ~0ull, 1ull << 63, rng()}[rng() % 4];
        for (size_t i = 0; i < 8 && p + i < b.size(); ++i) b[p + i] = uint8_t(v >> (8 * i));
    }
    }
}

// A JSON-aware edit: a random value somewhere in the document replaced by one of a wrong type,
// out of range or non-finite, or removed.
void mutateJson(nlohmann::json& j, std::mt19937_64& rng)
{
    nlohmann::json* node = &j;
    for (int depth = 0; depth < 4 && (node->is_object() || node->is_array()) && !node->empty(); ++depth) {
        auto it = node->begin();
        std::advance(it, long(rng() % node->size()));
        if (rng() % 3 == 0 || !(it->is_object() || it->is_array())) {
            const nlohmann::json replacements[] = {
                "x",     "",   nlohmann::json::array(), nlohmann::json::array({1}), 1.5,
                -1,      0,    int64_t(1) << 40,        uint64_t(1) << 63,          1e300,
                nullptr, true, nlohmann::json::object()};
            if (rng() % 8 == 0 && node->is_object()) node->erase(it);
            else *it = replacements[rng() % std::size(replacements)];
            return;
        }
        node = &*it;
    }
}

// The mutant is refused with the project's error, naming the file, or loads cleanly.
template <typename F>
bool refusedOrLoaded(F&& load, const std::string& path, QString* problem)
{
    try {
        load();
        return true;
    } catch (const ra::Error& e) {
        const std::string m = e.what();
        if (m.find(path) == std::string::npos &&
            m.find(QFileInfo(QString::fromStdString(path)).fileName().toStdString()) == std::string::npos)
            *problem = "the error does not name the file: " + QString::fromStdString(m);
        else if (m.find('\n') != std::string::npos)
            *problem = "the error is not one line: " + QString::fromStdString(m);
        return problem->isEmpty();
    } catch (const std::exception& e) {
        *problem = QStringLiteral("escaped as a non-ra::Error: ") + e.what();
        return false;
    }
}

} // namespace

class TestMutationFuzz : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    void checkpointMutants(const char* golden, size_t headerWindow, int count, uint64_t seed)
    {
        RA_REQUIRE_GOLDEN();
        const Bytes original = ra::test::readBytes(ra::test::goldenPath(golden));
        std::mt19937_64 rng(seed);
        const std::string path = (m_dir.path() + "/mutant-" + QFileInfo(golden).fileName()).toStdString();
        int refused = 0;
        for (int i = 0; i < count; ++i) {
            Bytes b = original;
            // Most edits in the header and the archive's directory, where parsers make decisions.
            const int edits = 1 + int(rng() % 3);
            for (int e = 0; e < edits; ++e) {
                if (rng() % 4 == 0) mutate(b, rng, b.size());
                else if (rng() % 2 == 0) mutate(b, rng, headerWindow);
                else {
                    Bytes tail(b.end() - long(std::min(b.size(), headerWindow)), b.end()); // the end (zip directory)
                    const size_t keep = b.size() - tail.size();
                    mutate(tail, rng, tail.size());
                    b.resize(keep);
                    b.insert(b.end(), tail.begin(), tail.end());
                }
            }
            ra::test::writeBytes(path, b);
            QString problem;
            bool loaded = false;
            const bool ok = refusedOrLoaded(
                [&] {
                    const auto ck = ra::readCheckpoint(path);
                    loaded = true;
                    for (const auto& [name, t] : ck.tensors)
                        if (!torch::isfinite(t).all().item<bool>())
                            throw std::runtime_error("loaded a non-finite tensor " + name);
                },
                path, &problem);
            QVERIFY2(ok, qPrintable(QString("%1 mutant %2 (seed %3): %4").arg(golden).arg(i).arg(seed).arg(problem)));
            if (!loaded) ++refused;
        }
        QVERIFY(refused > count / 4); // the mutations reach the checks
    }

private Q_SLOTS:
    void safetensorsMutants() { checkpointMutants("clip-ref/openai_layout.safetensors", 16384, iterations(60), 1); }

    // Flipped bytes in a record fail its CRC-32; a cut record is refused (#13, case 8).
    void torchScriptMutants() { checkpointMutants("clip-ref/openai_jit.pt", 8192, iterations(40), 2); }

    void huggingFaceConfigMutants()
    {
        RA_REQUIRE_GOLDEN();
        QFile in(QString::fromStdString(ra::test::goldenPath("clip-ref/hf/config.json")));
        QVERIFY(in.open(QIODevice::ReadOnly));
        const auto config = nlohmann::json::parse(in.readAll().toStdString());
        const QString folder = m_dir.path() + "/hf-mutant";
        QDir().mkpath(folder);
        QVERIFY(QFile::link(QString::fromStdString(ra::test::goldenPath("clip-ref/hf/model.safetensors")),
                            folder + "/model.safetensors"));
        std::mt19937_64 rng(3);
        for (int i = 0, n = iterations(80); i < n; ++i) {
            nlohmann::json j = config;
            for (int e = 0, edits = 1 + int(rng() % 3); e < edits; ++e) mutateJson(j, rng);
            std::string text = j.dump(2);
            if (rng() % 5 == 0) {
                Bytes b(text.begin(), text.end());
                mutate(b, rng, b.size());
                text.assign(b.begin(), b.end());
            }
            std::ofstream(folder.toStdString() + "/config.json", std::ios::trunc) << text;
            QString problem;
            QVERIFY2(refusedOrLoaded([&] { ra::readCheckpoint(folder.toStdString()); }, folder.toStdString(), &problem),
                     qPrintable(QString("HF config mutant %1: %2\n%3")
                                    .arg(i)
                                    .arg(problem, QString::fromStdString(text.substr(0, 400)))));
        }
    }

    void projectMutants()
    {
        RA_REQUIRE_GOLDEN();
        const QString project = ra::test::makeColourWorld(m_dir.path() + "/world", 2);
        QFile in(project);
        QVERIFY(in.open(QIODevice::ReadOnly));
        auto parsed = nlohmann::json::parse(in.readAll().toStdString());
        // Every path in the text relative, so the mutants are the same wherever the checkout is
        // (an absolute model path made them depend on the folder's name).
        QVERIFY(QFile::link(QString::fromStdString(parsed["model"].get<std::string>()),
                            m_dir.path() + "/world/model.safetensors"));
        parsed["model"] = "model.safetensors";
        const std::string original = parsed.dump(2);
        const std::string path = (m_dir.path() + "/world/mutant.json").toStdString();
        std::mt19937_64 rng(4);
        for (int i = 0, n = iterations(300); i < n; ++i) {
            std::string text;
            if (rng() % 2 == 0) {
                nlohmann::json j = parsed;
                for (int e = 0, edits = 1 + int(rng() % 3); e < edits; ++e) mutateJson(j, rng);
                text = j.dump();
            } else {
                Bytes b(original.begin(), original.end());
                for (int e = 0, edits = 1 + int(rng() % 3); e < edits; ++e) mutate(b, rng, b.size());
                text.assign(b.begin(), b.end());
            }
            std::ofstream(path, std::ios::trunc) << text;
            QString problem;
            QVERIFY2(refusedOrLoaded([&] { ra::Project::load(path); }, path, &problem),
                     qPrintable(QString("project mutant %1: %2\n%3")
                                    .arg(i)
                                    .arg(problem, QString::fromStdString(text.substr(0, 400)))));
        }
    }

    // Random argument lists from the CLI's own vocabulary: exit 0, 1 (data) or 2 (usage), never a
    // signal or a hang, and a failure says one line on standard error.
    void cliArgumentMutants()
    {
        RA_REQUIRE_GOLDEN();
        const QString model = QString::fromStdString(ra::test::goldenPath("clip-ref/openai_layout.safetensors"));
        const QStringList commands = {"tokenize", "embed", "zeroshot", "info",      "sweep",
                                      "export",   "runs",  "train",    "frobnicate"};
        const QStringList options = {"--model", "--text",    "--image",  "--data",  "--batch",  "--context-length",
                                     "--run",   "--alpha",   "--alphas", "--out",   "--layout", "--format",
                                     "--set",   "--project", "--resume", "--force", "--bogus",  "--system"};
        const QStringList values = {
            "0",    "-1",   "1",       "2",       "1.5", "nan",       "inf", "1e308",      "99999999999999999999",
            "",     "x",    "0:1:0.5", "0:inf:1", "a=b", "steps=abc", model, m_dir.path(), "/nonexistent",
            "list", "show", "999"};
        std::mt19937_64 rng(5);
        for (int i = 0, n = iterations(30); i < n; ++i) {
            QStringList args = {"--db", m_dir.path() + "/cli-fuzz.sqlite"};
            if (rng() % 4 == 0) args << "--threads" << values[int(rng() % values.size())];
            args << commands[int(rng() % commands.size())];
            for (int k = 0, len = int(rng() % 5); k < len; ++k) {
                args << options[int(rng() % options.size())];
                if (rng() % 4) args << values[int(rng() % values.size())];
            }
            if (args.contains("train") && args.contains("--project")) continue; // real training: not here
            QProcess p;
            p.start(QStringLiteral(RA_CLI), args);
            p.closeWriteChannel();
            const bool finished = p.waitForFinished(60000);
            if (!finished) p.kill();
            QVERIFY2(finished, qPrintable("hangs: radapter " + args.join(' ')));
            QVERIFY2(p.exitStatus() == QProcess::NormalExit, qPrintable("crashes: radapter " + args.join(' ')));
            const int code = p.exitCode();
            QVERIFY2(code == 0 || code == 1 || code == 2,
                     qPrintable(QString("exit %1: radapter %2").arg(code).arg(args.join(' '))));
            const QString err = QString::fromUtf8(p.readAllStandardError());
            if (code != 0)
                QVERIFY2(err.count('\n') == 1 || (code == 2 && err.contains("usage")),
                         qPrintable("radapter " + args.join(' ') + "\n" + err));
        }
    }
};

QTEST_GUILESS_MAIN(TestMutationFuzz)
#include "tst_mutationfuzz.moc"
