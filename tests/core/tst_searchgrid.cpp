// The hyper-parameter search's grid and ranking (config/searchgrid.h): every combination once, in
// order; values that cannot run refused before any run; seeds averaged; never ranked on OOD.
#include "config/searchgrid.h"
#include "store/searchruns.h"
#include "util/error.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

using namespace ra;

class TestSearchGrid : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // A search reuses a finished run recorded before a setting existed where it wants that
    // setting's default, and not where it wants another value.
    void reuseReadsASettingARunLacksAsItsDefault()
    {
        Project p;
        p.path = "/nonexistent/world.json";
        auto params = p.config.toParams();
        params.erase("early_stop_patience");
        params.erase("early_stop_min_delta");
        const std::vector<FinishedRun> finished{{7, std::filesystem::weakly_canonical(p.path).string(), params}};
        QCOMPARE(finishedRunOf(finished, p).value_or(-1), int64_t(7));
        p.config.applySetting("early_stop_patience", "3");
        QVERIFY(!finishedRunOf(finished, p));
        p.config.applySetting("early_stop_patience", "0");
        p.config.applySetting("lr", "0.1");
        QVERIFY(!finishedRunOf(finished, p));
    }

    void axesParseAndRefuse()
    {
        const SearchAxis lr = parseSearchAxis(" lr = 1e-3, 3e-3 ,1e-2");
        QCOMPARE(lr.key, std::string("lr"));
        QCOMPARE(lr.values, (std::vector<std::string>{"1e-3", "3e-3", "1e-2"}));
        for (const char* bad : {"lr", "=1,2", "lr=", "lr=1,,2", "lr=1,1"})
            QVERIFY_THROWS_EXCEPTION(Error, parseSearchAxis(bad));
    }

    void everyCombinationOnceLastAxisFastest()
    {
        const auto combinations = expandSearch({{"lr", {"1", "2"}}, {"p", {"0.1", "0.2", "0.3"}}});
        QCOMPARE(combinations.size(), size_t(6));
        QCOMPARE(describeSettings(combinations[0]), std::string("lr=1 p=0.1"));
        QCOMPARE(describeSettings(combinations[1]), std::string("lr=1 p=0.2"));
        QCOMPARE(describeSettings(combinations[5]), std::string("lr=2 p=0.3"));
        QVERIFY_THROWS_EXCEPTION(Error, expandSearch({{"lr", {"1"}}, {"lr", {"2"}}}));
        std::vector<std::string> many;
        for (int i = 0; i < 40; ++i) many.push_back(std::to_string(i));
        QVERIFY_THROWS_EXCEPTION(Error, expandSearch({{"seed", many}, {"steps", many}})); // 1,600
    }

    void rangesParseAndRefuse()
    {
        const SearchRange lr = parseSearchRange(" lr = 1e-4 : 1e-2 : log");
        QCOMPARE(lr.key, std::string("lr"));
        QCOMPARE(lr.low, 1e-4);
        QCOMPARE(lr.high, 1e-2);
        QVERIFY(lr.logarithmic && !lr.whole);
        const SearchRange steps = parseSearchRange("steps=100:400");
        QVERIFY(steps.whole && !steps.logarithmic);
        QVERIFY(!parseSearchRange("p=0:1").logarithmic);
        QVERIFY(!parseSearchRange("p=0.1:1").whole);
        for (const char* bad : {"lr", "lr=1e-3", "lr=1:2:3", "lr=1:2:lin", "lr=a:1", "lr=1:1", "lr=2:1", "lr=0:1:log",
                                "lr=-1:1:log", "=1:2", "lr=1:inf"})
            QVERIFY_THROWS_EXCEPTION(Error, parseSearchRange(bad));
    }

    // Random search: every draw inside its range (log ranges spread over the decades, whole ranges
    // integers), the same seed the same draws and more samples extending them, every draw crossed
    // with the grid (seeds repeat a draw), refusals before anything runs.
    void samplesDrawnInsideTheRangesRepeatably()
    {
        SearchSpec spec{
            {{"seed", {"0", "1"}}},
            {parseSearchRange("lr=1e-4:1e-1:log"), parseSearchRange("p=0.1:0.3"), parseSearchRange("steps=50:60")},
            40,
            7};
        const auto plan = planSearch(spec);
        QCOMPARE(plan.size(), size_t(80));
        int decades[3] = {0, 0, 0};
        std::set<std::string> draws;
        for (size_t i = 0; i < plan.size(); ++i) {
            const SearchSettings& s = plan[i];
            QCOMPARE(s.size(), size_t(4));
            QCOMPARE(s[0].first, std::string("lr"));
            QCOMPARE(s[3], (std::pair<std::string, std::string>{"seed", i % 2 ? "1" : "0"})); // each draw, both seeds
            if (i % 2) QCOMPARE(describeSettings(s, true), describeSettings(plan[i - 1], true));
            const double lr = std::stod(s[0].second), p = std::stod(s[1].second);
            QVERIFY(lr >= 1e-4 && lr <= 1e-1 && p >= 0.1 && p <= 0.3);
            QVERIFY(s[0].second.size() <= 9); // three significant digits: "0.000123", "1.23e-05"
            ++decades[std::clamp(int(std::floor(std::log10(lr))) + 4, 0, 2)];
            const int steps = std::stoi(s[2].second);
            QVERIFY(steps >= 50 && steps <= 60 && s[2].second == std::to_string(steps));
            draws.insert(describeSettings(s, true));
        }
        QCOMPARE(draws.size(), size_t(40));                                                        // no draw twice
        for (int d : decades) QVERIFY2(d >= 10, "a log range spreads its draws over its decades"); // 80 in 3
        QVERIFY(planSearch(spec) == plan);
        spec.samples = 50;
        const auto more = planSearch(spec);
        QVERIFY(std::equal(plan.begin(), plan.end(), more.begin()));
        spec.sampleSeed = 8;
        QVERIFY(planSearch(spec)[0] != plan[0]);

        // A whole range of 3 values holds 3 draws; ranges need samples and samples ranges.
        QCOMPARE(planSearch({{}, {parseSearchRange("rank=2:4")}, 3, 0}).size(), size_t(3));
        QVERIFY_THROWS_EXCEPTION(Error, planSearch({{}, {parseSearchRange("rank=2:4")}, 4, 0}));
        QVERIFY_THROWS_EXCEPTION(Error, planSearch({{}, {parseSearchRange("lr=1:2")}, 0, 0}));
        QVERIFY_THROWS_EXCEPTION(Error, planSearch({{{"lr", {"1"}}}, {}, 5, 0}));
        QVERIFY_THROWS_EXCEPTION(Error, planSearch({{{"lr", {"1"}}}, {parseSearchRange("lr=1:2")}, 2, 0}));
        QVERIFY_THROWS_EXCEPTION(Error, planSearch({{{"seed", {"0", "1"}}}, {parseSearchRange("lr=1:2")}, 501, 0}));
        QCOMPARE(planSearch({{{"lr", {"1", "2"}}}, {}, 0, 0}).size(), size_t(2)); // a grid alone
    }

    // The second combination's p is out of range: refused, naming it, before the first runs.
    void settingsThatCannotRunAreRefused()
    {
        const auto combinations = expandSearch({{"p", {"0.1", "0.99"}}});
        try {
            checkSearch(TrainConfig{}, combinations);
            QFAIL("p=0.99 was accepted");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("p=0.99") != std::string::npos, e.what());
        }
        checkSearch(TrainConfig{}, expandSearch({{"p", {"0.1", "0.5"}}, {"method", {"radapter", "finetune"}}}));
    }

    // Seeds are one combination's repeats: mean and sample standard deviation of ID accuracy,
    // ranked on it (the OOD average goes along and never decides); an incomplete combination last.
    void seedsAreAveragedAndRankedOnId()
    {
        auto run = [](const char* lr, const char* seed, int64_t id, bool finished, double acc, double ood) {
            return SearchRun{{{"lr", lr}, {"seed", seed}}, id, finished, acc, ood, 0.5};
        };
        const auto ranked = rankSearch({run("1", "0", 1, true, 0.80, 0.90), run("1", "1", 2, true, 0.84, 0.90),
                                        run("2", "0", 3, true, 0.85, 0.10), run("2", "1", 4, true, 0.85, 0.20),
                                        run("3", "0", 5, true, 0.99, 0.99), run("3", "1", 6, false, -1, -1)});
        QCOMPARE(ranked.size(), size_t(3));
        QCOMPARE(describeSettings(ranked[0].settings), std::string("lr=2"));
        QCOMPARE(ranked[0].runs, (std::vector<int64_t>{3, 4}));
        QVERIFY(std::abs(ranked[0].idMean - 0.85) < 1e-12 && ranked[0].idStd == 0);
        QVERIFY(std::abs(ranked[0].oodMean - 0.15) < 1e-12);
        QCOMPARE(describeSettings(ranked[1].settings), std::string("lr=1"));
        QVERIFY(std::abs(ranked[1].idMean - 0.82) < 1e-12);
        QVERIFY(std::abs(ranked[1].idStd - std::sqrt(0.0008)) < 1e-12);
        QCOMPARE(describeSettings(ranked[2].settings), std::string("lr=3")); // one of two seeds finished
        QCOMPARE(ranked[2].finished, 1);
    }
};

QTEST_GUILESS_MAIN(TestSearchGrid)
#include "tst_searchgrid.moc"
