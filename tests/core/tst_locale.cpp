// Numbers in settings, project files, run stores, searches and messages are read and written the
// same whatever the C library's locale. The Studio runs under the desktop's (QApplication calls
// setlocale(LC_ALL, "")), and a German, French or Russian one writes a decimal comma: there
// std::stod("0.05") reads 0 and printf("%.3g", 0.003) writes "0,003". Each check runs in the C
// locale and then in de_DE.UTF-8 (tests/commalocale.h) and must give the same.
#include "commalocale.h"
#include "config/bayessearch.h"
#include "config/searchgrid.h"
#include "config/trainconfig.h"
#include "demo/demostory.h"
#include "eval/alphagrid.h"
#include "project/project.h"
#include "store/runsummary.h"
#include "testutil.h"
#include "util/error.h"
#include "util/numbertext.h"

#include <QTemporaryDir>
#include <QTest>

#include <clocale>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>

using namespace ra;

class TestLocale : public QObject {
    Q_OBJECT

    // The C locale for as long as it lives (the suite may run under a German LANG).
    class PlainLocale {
    public:
        PlainLocale() : m_before(std::setlocale(LC_ALL, nullptr)) { std::setlocale(LC_ALL, "C"); }
        ~PlainLocale() { std::setlocale(LC_ALL, m_before.c_str()); }

    private:
        std::string m_before;
    };

    // WHAT in the C locale, then under the comma locale; both must give the same text.
    static void sameUnderBoth(const std::function<std::string()>& what)
    {
        std::string plain;
        {
            PlainLocale c;
            plain = what();
        }
        RA_WITH_COMMA_LOCALE(comma);
        QCOMPARE(what(), plain);
    }

private Q_SLOTS:
    // The premise: under this locale the C library does read and write numbers differently, so the
    // checks below could fail.
    void theCommaLocaleChangesTheCLibrary()
    {
        RA_WITH_COMMA_LOCALE(comma);
        char text[16];
        std::snprintf(text, sizeof text, "%.2f", 0.5);
        QCOMPARE(std::string(text), std::string("0,50"));
        QCOMPARE(std::stod("0.05"), 0.0);
    }

    void numbersAreReadWithAPointOnly()
    {
        sameUnderBoth([] {
            std::string out;
            for (const char* text : {"0.05", "+2", "-1.5e-3", "1e-05", ".5", "1.", "3", "0,05", " 2", "2 ", "inf",
                                     "nan", "0x10", "", "+", "+-1", "1e400"}) {
                const auto v = finiteNumberFrom(text);
                out += std::string(text) + "=" + (v ? numberText(*v, 17) : "refused") + ";";
            }
            for (const char* text : {"-12", "+7", "1.0", "9223372036854775807", "9223372036854775808", "1,000"}) {
                const auto v = wholeNumberFrom(text);
                out += std::string(text) + "=" + (v ? std::to_string(*v) : "refused") + ";";
            }
            return out;
        });
        RA_WITH_COMMA_LOCALE(comma);
        QCOMPARE(finiteNumberFrom("0.05"), std::optional<double>(0.05));
        QCOMPARE(finiteNumberFrom("-1.5e-3"), std::optional<double>(-1.5e-3));
        QCOMPARE(finiteNumberFrom("+2"), std::optional<double>(2));
        QVERIFY(!finiteNumberFrom("0,05"));
        QVERIFY(!finiteNumberFrom(" 2"));
        QVERIFY(!finiteNumberFrom("nan"));
        QCOMPARE(wholeNumberFrom("+7"), std::optional<int64_t>(7));
        QVERIFY(!wholeNumberFrom("1.0"));
        QVERIFY(!wholeNumberFrom("9223372036854775808"));
    }

    // numberText and fixedNumberText write what printf's %.Ng and %.Nf write in the C locale.
    void numbersAreWrittenWithAPoint()
    {
        for (double v : {0.003, 1e-5, 0.5, 81.26, 1234567.0, -0.25, 3e-4, 100.0}) {
            PlainLocale c;
            for (int digits : {1, 3, 6}) {
                char g[64], f[64];
                std::snprintf(g, sizeof g, "%.*g", digits, v);
                std::snprintf(f, sizeof f, "%.*f", digits, v);
                QCOMPARE(numberText(v, digits), std::string(g));
                QCOMPARE(fixedNumberText(v, digits), std::string(f));
            }
        }
        RA_WITH_COMMA_LOCALE(comma);
        QCOMPARE(numberText(0.003, 3), std::string("0.003"));
        QCOMPARE(fixedNumberText(0.5, 6), std::string("0.500000"));
    }

    // A project's hyper-parameters, as numbers and as text, give the same settings.
    void projectSettingsReadTheSame()
    {
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString() + "/p.json";
        const std::string model = test::sourceDir().toStdString() + "/resources/models/glyphclip-tiny.safetensors";
        std::ofstream(path) << "{\"format\": \"radapter-project\", \"version\": 1, \"name\": \"comma\", \"model\": \""
                            << model << "\", \"data\": {\"train\": \".\"}, \"method\": \"radapter\", "
                            << "\"hyperparameters\": {\"lr\": 0.003, \"delta\": 0.05, \"ema\": 0.99, \"crop_min\": "
                            << "\"0.9\", \"p\": \"2e-1\", \"alpha\": 0.5, \"early_stop_min_delta\": 0.25}}";
        sameUnderBoth([&] {
            std::string out;
            for (const auto& [key, value] : Project::load(path).config.toParams()) out += key + "=" + value + ";";
            return out;
        });
        RA_WITH_COMMA_LOCALE(comma);
        const Project p = Project::load(path);
        QCOMPARE(p.config.learningRate, 0.003);
        QCOMPARE(p.config.margin, 0.05);
        QCOMPARE(p.config.adapter.dropProbability, 0.2);
        TrainConfig c = p.config;
        c.applySetting("lr", "0.0025");
        QCOMPARE(c.learningRate, 0.0025);
        try {
            c.applySetting("lr", "0,0025");
            QFAIL("a decimal comma was taken");
        } catch (const Error& e) {
            QCOMPARE(std::string(e.what()),
                     std::string("setting lr: '0,0025' is not a finite number (write a decimal point: 0.0025)."));
        }
    }

    // A stored run's alpha (params as text in the run store) and a typed alpha grid.
    void storedAndTypedAlphasReadTheSame()
    {
        RA_WITH_COMMA_LOCALE(comma);
        QCOMPARE(evaluationAlpha({{"eval_alpha", "0.5"}}), 0.5);
        QCOMPARE(evaluationAlpha({{"method", "radapter"}, {"alpha", "0.8"}}), 0.8);
        const auto grid = AlphaGrid::parse("0:1.5:0.5", "--alphas").values;
        QCOMPARE(grid, (std::vector<double>{0, 0.5, 1, 1.5}));
    }

    // A random and a Bayesian search draw the same settings, each one a setting a run accepts.
    void searchDrawsAreTheSame()
    {
        sameUnderBoth([] {
            SearchSpec spec;
            spec.ranges = {parseSearchRange("lr=1e-4:1e-2:log"), parseSearchRange("p=0.1:0.4"),
                           parseSearchRange("steps=10:30")};
            spec.samples = 8;
            spec.sampleSeed = 3;
            spec.bayes = true;
            BayesSearch search(spec);
            std::string out;
            TrainConfig c;
            double score = 0.5;
            while (!search.done()) {
                for (const auto& settings : search.next())
                    for (const auto& [key, value] : settings) {
                        c.applySetting(key, value); // throws where the text is not a number
                        out += key + "=" + value + ";";
                    }
                search.record(score += 0.01); // later draws are the model's, from these
            }
            return out;
        });
    }

    // The demo's story, as the CLI prints it and the Studio shows it.
    void storyClaimsReadTheSame()
    {
        const std::map<std::string, StoryPoint> methods = {{"zero-shot", {0.733, 0.793}},
                                                           {"fine-tuning", {0.949, 0.765}},
                                                           {"WiSE-FT", {0.883, 0.805}},
                                                           {"R-Adapter", {0.943, 0.791}}};
        sameUnderBoth([&] {
            std::string out;
            for (const auto& claim : checkPaperStory(methods)) out += claim.text + "\n";
            return out;
        });
        QVERIFY(checkPaperStory(methods).front().text.find("+21.6 points") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestLocale)
#include "tst_locale.moc"
