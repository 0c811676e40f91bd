// The hyper-parameter search's grid and ranking (config/searchgrid.h): every combination once, in
// order; values that cannot run refused before any run; seeds averaged; never ranked on OOD.
#include "config/searchgrid.h"
#include "util/error.h"

#include <QTest>

#include <cmath>

using namespace ra;

class TestSearchGrid : public QObject {
    Q_OBJECT
private Q_SLOTS:
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
