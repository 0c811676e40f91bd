// The hyper-parameter search's grid and ranking (config/searchgrid.h): every combination once, in
// order; values that cannot run refused before any run; seeds averaged; never ranked on OOD.
#include "config/bayessearch.h"
#include "config/halvingsearch.h"
#include "config/parameterimportance.h"
#include "config/searchgrid.h"
#include "config/tpe.h"
#include "store/searchruns.h"
#include "util/error.h"
#include "testutil.h"
#include "util/portabledraws.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
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
        const std::vector<TaggedRun> finished{{7, std::filesystem::weakly_canonical(p.path).string(), params}};
        QCOMPARE(runOf(finished, p).value_or(-1), int64_t(7));
        p.config.applySetting("early_stop_patience", "3");
        QVERIFY(!runOf(finished, p));
        p.config.applySetting("early_stop_patience", "0");
        p.config.applySetting("lr", "0.1");
        QVERIFY(!runOf(finished, p));
    }

    // Successive halving's rungs: a third of the steps per cut, as many cuts as thirds of the
    // combinations, the last rung every step; a third (rounded up) goes on from each.
    void halvingRungsDivideTheStepsByThree()
    {
        QCOMPARE(halvingRungs(150, 9), (std::vector<int>{17, 50, 150}));
        QCOMPARE(halvingRungs(150, 27), (std::vector<int>{6, 17, 50, 150}));
        QCOMPARE(halvingRungs(150, 2), (std::vector<int>{50, 150}));
        QCOMPARE(halvingRungs(150, 4), (std::vector<int>{17, 50, 150}));
        QCOMPARE(halvingRungs(150, 1), (std::vector<int>{150}));
        QCOMPARE(halvingRungs(4, 27), (std::vector<int>{1, 4})); // never a rung of no step, none twice
        QCOMPARE(halvingTrainingSteps(150, 27, 1), int64_t(27 * 6 + 9 * 11 + 3 * 33 + 100)); // 460, not 4,050
        QCOMPARE(halvingTrainingSteps(150, 9, 2), int64_t(2 * (9 * 17 + 3 * 33 + 100)));
        QCOMPARE(halvingTrainingSteps(150, 1, 3), int64_t(450));
        QCOMPARE(halvingSurvivors(9), size_t(3));
        QCOMPARE(halvingSurvivors(4), size_t(2));
        QCOMPARE(halvingSurvivors(2), size_t(1));
        QCOMPARE(halvingSurvivors(1), size_t(1));
        for (size_t arms = 1; arms < 100; ++arms) { // the cuts leave one combination at the last rung
            size_t left = arms;
            for (size_t r = 1; r < halvingRungs(300, arms).size(); ++r) left = halvingSurvivors(left);
            QCOMPARE(left, size_t(1));
        }
    }

    // The halving search's bookkeeping: nine learning rates on two seeds are nine arms; each rung
    // trains every run of the arms left (new runs first, then the same runs continued), the best
    // third by the mean over the seeds goes on, the others' runs are cut with why; a run that
    // finished earlier is not trained again and a failed one is not cut.
    void halvingSearchTrainsTheBestThirdOn()
    {
        std::vector<SearchAxis> axes{{"lr", {"1", "2", "3", "4", "5", "6", "7", "8", "9"}}, {"seed", {"0", "1"}}};
        HalvingSearch search(expandSearch(axes), 90);
        QCOMPARE(search.rungs(), (std::vector<int>{10, 30, 90}));
        search.record(17, 1000, true, 0.5); // lr 9, seed 1: finished earlier, reused
        std::vector<int64_t> trained;
        int64_t nextRun = 1;
        std::map<size_t, int64_t> runOf;
        // Scores: lr k scores k/10 at every rung, seed 1 a little less; lr 4's seed 0 fails.
        auto score = [](size_t i) { return (double(i / 2) + 1) / 10 - (i % 2 ? 0.01 : 0); };
        std::vector<size_t> atRung;
        while (const auto job = search.next()) {
            QCOMPARE(job->stopAfter, 10);
            QCOMPARE(job->run, int64_t(0)); // all new at the first rung
            runOf[job->combination] = nextRun;
            atRung.push_back(job->combination);
            search.record(job->combination, nextRun++, false, job->combination == 6 ? -1 : score(job->combination));
        }
        QCOMPARE(atRung.size(), size_t(17)); // every combination but the reused one
        QVERIFY(!search.done());
        const auto cuts = search.endRung("val");
        // The arms by their seeds' mean: lr 8 0.795, lr 9 0.7 (its reused run's 0.5 with 0.9), lr 7 0.695.
        const HalvingSearch::Rung& first = search.history().at(0);
        QCOMPARE(first.step, 10);
        QCOMPARE(first.kept, size_t(3));
        QCOMPARE(describeSettings(first.scores[0].first), std::string("lr=8"));
        QCOMPARE(describeSettings(first.scores[1].first), std::string("lr=9"));
        QCOMPARE(describeSettings(first.scores[2].first), std::string("lr=7"));
        QCOMPARE(cuts.size(), size_t(11)); // six arms of two runs, less lr 4's failed one
        for (const auto& cut : cuts) QVERIFY(cut.run != runOf[6]);
        QVERIFY2(cuts.front().message.find("cut by successive halving at step 10 of 90: ID val 59.5 % (the mean of "
                                           "its 2 seeds), 4th of 9; the best 3 went on.") == 0,
                 cuts.front().message.c_str());
        // The second rung continues the kept arms' runs (lr 9's finished one is not trained again).
        std::vector<size_t> continued;
        while (const auto job = search.next()) {
            QCOMPARE(job->stopAfter, 30);
            QCOMPARE(job->run, runOf.at(job->combination));
            continued.push_back(job->combination);
            search.record(job->combination, job->run, false, score(job->combination));
        }
        QCOMPARE(continued, (std::vector<size_t>{14, 15, 16, 12, 13}));
        QCOMPARE(search.endRung("val").size(), size_t(3)); // lr 8 goes on; lr 7's two runs and lr 9's seed 0 cut
        const auto last = search.next();
        QVERIFY(last && last->stopAfter == 0 && last->combination == 14);
        search.record(14, last->run, true, 0.8);
        search.record(15, runOf[15], true, 0.79);
        QVERIFY(search.done());
        QVERIFY(search.endRung("val").empty()); // the last rung cuts nothing
        QCOMPARE(search.runs().size(), size_t(18));
    }

    // An earlier search's interrupted run is continued, not started anew: at a rung it has a score
    // for, it is scored without training; past it, it trains on from its checkpoint.
    void halvingSearchAdoptsAnEarlierSearchsRuns()
    {
        HalvingSearch search(expandSearch({{"lr", {"1", "2", "3"}}}), 30);
        QCOMPARE(search.rungs(), (std::vector<int>{10, 30}));
        search.adopt(0, 41, {{10, 0.9}});
        search.adopt(1, 42, {}); // stopped before the rung: trains on to it
        std::vector<std::pair<size_t, int64_t>> jobs;
        while (const auto job = search.next()) {
            jobs.push_back({job->combination, job->run});
            search.record(job->combination, job->run > 0 ? job->run : 43, false, 0.5);
        }
        QCOMPARE(jobs, (std::vector<std::pair<size_t, int64_t>>{{1, 42}, {2, 0}}));
        QCOMPARE(search.endRung("val").size(), size_t(2)); // lr 1 (0.9) goes on
        const auto last = search.next();
        QVERIFY(last && last->combination == 0 && last->run == 41 && last->stopAfter == 0);
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
            const double lr = ra::test::number(s[0].second), p = ra::test::number(s[1].second);
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

    // TPE's model of one setting is a probability density on [0, 1] whatever its points (the
    // truncated Gaussians are normalised), and its samples follow it.
    void parzenEstimatorIsADensityItsSamplesFollow()
    {
        PortableDraws draws{3};
        std::vector<double> thirty;
        for (int i = 0; i < 30; ++i) thirty.push_back(draws.next() * draws.next());
        for (const std::vector<double>& points :
             {std::vector<double>{}, {0.1}, {0.5}, {0.02, 0.03, 0.97}, {0.0, 1.0}, thirty}) {
            const ParzenEstimator e(points);
            QCOMPARE(e.components(), points.size() + 1); // and the prior
            const int steps = 20000;
            double mass = 0;
            for (int k = 0; k < steps; ++k) mass += e.density((k + 0.5) / steps) / steps;
            QVERIFY2(std::abs(mass - 1) < 1e-3, qPrintable(QString::number(mass)));
            // 20,000 samples in ten bins against the density's mass there.
            std::vector<double> counted(10, 0), expected(10, 0);
            for (int k = 0; k < steps; ++k) {
                const double u1 = draws.next(), n = draws.normal(), u2 = draws.next();
                const double x = e.sample(u1, n, u2);
                QVERIFY(x >= 0 && x <= 1);
                counted[std::min(9, int(x * 10))] += 1.0 / steps;
                expected[std::min(9, int((k + 0.5) / steps * 10))] += e.density((k + 0.5) / steps) / steps;
            }
            for (int b = 0; b < 10; ++b)
                QVERIFY2(std::abs(counted[b] - expected[b]) < 0.015,
                         qPrintable(QString("bin %1: %2 against %3").arg(b).arg(counted[b]).arg(expected[b])));
        }
        // Widths: the larger gap to a neighbour (0.02's is to 0, 0.03's to the prior at 0.5).
        const ParzenEstimator e({0.02, 0.03, 0.97});
        QCOMPARE(e.width(0), 0.25); // at least 1 / (3 + 1)
        QCOMPARE(e.width(1), 0.47);
        QCOMPARE(e.width(2), 1.0); // the prior
        QVERIFY(std::abs(e.width(3) - 0.47) < 1e-12);
    }

    // On a known objective — ID accuracy peaking at lr 3e-3 and falling off over a decade, a
    // second setting barely mattering — a Bayesian search of 16 draws ends nearer the best than 16
    // random draws, and its later draws crowd near it, on the mean over ten seeds.
    void bayesSearchFindsTheBestSoonerThanRandomDraws()
    {
        auto objective = [](const SearchSettings& s) {
            const double lr = ra::test::number(s[0].second), p = ra::test::number(s[1].second);
            const double off = std::log10(lr) - std::log10(3e-3);
            return 0.5 + 0.45 * std::exp(-off * off / 0.3) - 0.05 * (p - 0.2) * (p - 0.2);
        };
        const double best = 0.95;
        double randomRegret = 0, bayesRegret = 0, randomLate = 0, bayesLate = 0;
        for (uint64_t seed = 0; seed < 10; ++seed) {
            SearchSpec spec{{}, {parseSearchRange("lr=1e-5:1e-1:log"), parseSearchRange("p=0:0.5")}, 16, seed};
            double found = 0;
            const auto random = planSearch(spec);
            for (size_t i = 0; i < random.size(); ++i) {
                found = std::max(found, objective(random[i]));
                if (i >= 8) randomLate += std::abs(std::log10(ra::test::number(random[i][0].second) / 3e-3)) / 80;
            }
            randomRegret += (best - found) / 10;
            BayesSearch bayes(spec);
            found = 0;
            for (size_t i = 0; !bayes.done(); ++i) {
                const auto next = bayes.next();
                QCOMPARE(next.size(), size_t(1));
                const double score = objective(next[0]);
                bayes.record(score);
                found = std::max(found, score);
                if (i >= 8) bayesLate += std::abs(std::log10(ra::test::number(next[0][0].second) / 3e-3)) / 80;
            }
            bayesRegret += (best - found) / 10;
        }
        qInfo("regret: random %.4f, Bayesian %.4f; later draws' decades from the best: random %.2f, Bayesian %.2f",
              randomRegret, bayesRegret, randomLate, bayesLate);
        QVERIFY(bayesRegret < randomRegret);
        QVERIFY(bayesLate < 0.6 * randomLate);
    }

    // The start is the random search's own draws; the same seed and scores draw the same values (a
    // search started again finds its runs); no draw twice; each crossed with the grid; refusals.
    void bayesSearchStartsRandomAndRepeatsItself()
    {
        const SearchSpec spec{
            {{"seed", {"0", "1"}}}, {parseSearchRange("lr=1e-4:1e-1:log"), parseSearchRange("rank=1:8")}, 12, 5};
        QCOMPARE(BayesSearch::startupDraws(12), size_t(3));
        QCOMPARE(BayesSearch::startupDraws(2), size_t(2));
        QCOMPARE(BayesSearch::startupDraws(40), size_t(10));
        const auto random = planSearch(spec);
        auto play = [&](std::vector<SearchSettings>* drawn) {
            BayesSearch b(spec);
            for (size_t i = 0; !b.done(); ++i) {
                const auto next = b.next();
                QCOMPARE(next.size(), size_t(2)); // both seeds
                QCOMPARE(describeSettings(next[0], true), describeSettings(next[1], true));
                QCOMPARE(b.suggested(i), i >= 3);
                if (i < 3) QVERIFY(next[0] == random[2 * i] && next[1] == random[2 * i + 1]);
                drawn->push_back(withoutSeed(next[0]));
                b.record(1.0 /
                         (1 + std::abs(std::log10(ra::test::number(next[0][0].second) / 1e-2)))); // a peak at 1e-2
            }
            QVERIFY(b.next().empty());
        };
        std::vector<SearchSettings> first, second;
        play(&first);
        play(&second);
        QVERIFY(first == second);
        QCOMPARE(std::set<SearchSettings>(first.begin(), first.end()).size(), first.size());
        for (const SearchSettings& s : first) {
            const int rank = std::stoi(s[1].second);
            QVERIFY(rank >= 1 && rank <= 8 && s[1].second == std::to_string(rank));
        }
        // Its bounds, for checkSearch: the start-up draws and both ends, with every seed.
        const auto bounds = BayesSearch(spec).plannedBounds();
        QCOMPARE(bounds.size(), size_t(2 * (3 + 2)));
        QCOMPARE(describeSettings(bounds[6]), std::string("lr=0.0001 rank=1 seed=0"));
        QCOMPARE(describeSettings(bounds[9]), std::string("lr=0.1 rank=8 seed=1"));

        // A whole range of 4 values holds 4 draws, each once (the model's included), not 5; a draw
        // waits for its score.
        BayesSearch small({{}, {parseSearchRange("rank=1:4")}, 4, 0});
        std::set<std::string> ranks;
        for (int i = 0; i < 4; ++i) {
            ranks.insert(small.next().at(0).at(0).second);
            if (i == 0) QVERIFY_THROWS_EXCEPTION(Error, small.next());
            small.record(0.5);
        }
        QCOMPARE(ranks.size(), size_t(4));
        QVERIFY(small.done());
        QVERIFY_THROWS_EXCEPTION(Error, BayesSearch({{}, {parseSearchRange("rank=1:4")}, 5, 0}));
        QVERIFY_THROWS_EXCEPTION(Error, BayesSearch({{{"lr", {"1"}}}, {}, 5, 0}));
        QVERIFY_THROWS_EXCEPTION(Error, BayesSearch({{}, {parseSearchRange("lr=1:2")}, 0, 0}));
    }

    // The two statistics on cases worked by hand: omega squared of {1, 2 | 4, 5} is
    // (9 - 0.5) / (10 + 0.5); Spearman's rho with a tie in x is 4.5 / sqrt(4.5 * 5).
    void importanceStatisticsMatchTheirDefinitions()
    {
        QVERIFY(std::abs(omegaSquared({1, 2, 4, 5}, {0, 0, 1, 1}) - 8.5 / 10.5) < 1e-12);
        QCOMPARE(omegaSquared({1, 5, 2, 4}, {0, 0, 1, 1}), 0.0); // the groups explain nothing: clamped at 0
        QCOMPARE(omegaSquared({3, 3, 3}, {0, 1, 1}), 0.0);
        QVERIFY(std::abs(spearman({1, 2, 2, 3}, {1, 3, 2, 4}) - 4.5 / std::sqrt(4.5 * 5)) < 1e-12);
        QVERIFY(std::abs(spearman({1e-4, 1e-3, 1e-2}, {0.9, 0.5, 0.1}) + 1) < 1e-12); // by order, not value
        QCOMPARE(spearman({1, 1, 1}, {1, 2, 3}), 0.0);
    }

    // A grid (lr x p x seed) whose result follows lr and barely anything else: lr is the important
    // setting, with the result rising with it; p and the seed explain nearly nothing; a method
    // differing is compared by groups without a correlation; a random search's draws are binned.
    void settingImportanceFindsTheSettingThatMatters()
    {
        std::vector<std::map<std::string, std::string>> settings;
        std::vector<double> result;
        const char* rates[] = {"0.0001", "0.001", "0.01"};
        for (int l = 0; l < 3; ++l)
            for (const char* p : {"0.1", "0.3"})
                for (int seed = 0; seed < 3; ++seed) {
                    settings.push_back({{"lr", rates[l]}, {"p", p}, {"seed", std::to_string(seed)}, {"batch", "64"}});
                    result.push_back(0.6 + 0.1 * l + 0.004 * std::sin(7.0 * double(result.size())));
                }
        auto found = settingImportance(settings, result);
        QCOMPARE(found.size(), size_t(3)); // batch is the same everywhere
        QCOMPARE(found[0].setting, std::string("lr"));
        QCOMPARE(found[0].groups, size_t(3));
        QVERIFY2(found[0].importance > 0.95, qPrintable(QString::number(found[0].importance)));
        QVERIFY(found[0].correlation && *found[0].correlation > 0.9);
        for (size_t i = 1; i < found.size(); ++i) QVERIFY2(found[i].importance < 0.05, found[i].setting.c_str());
        // A method column: grouped, no correlation.
        for (size_t i = 0; i < settings.size(); ++i) settings[i]["method"] = i % 2 ? "radapter" : "full_ft";
        found = settingImportance(settings, result);
        const auto method = std::find_if(found.begin(), found.end(),
                                         [](const auto& s) { return s.setting == "method"; });
        QVERIFY(method != found.end() && !method->correlation && method->groups == 2);
        // Random draws, every value once: floor(sqrt(16)) = 4 bins of 4 by value.
        settings.clear();
        result.clear();
        PortableDraws draws{1};
        for (int i = 0; i < 16; ++i) {
            const double lr = std::pow(10.0, -4 + 3 * draws.next());
            settings.push_back({{"lr", fixedNumberText(lr, 6)}, {"p", fixedNumberText(0.3 * draws.next(), 6)}});
            result.push_back(-std::abs(std::log10(lr) + 2.5)); // best at 3e-3, worse either side
        }
        found = settingImportance(settings, result);
        QCOMPARE(found[0].setting, std::string("lr"));
        QCOMPARE(found[0].groups, size_t(4));
        QVERIFY(found[0].importance > found[1].importance + 0.3);
        QVERIFY(settingImportance({{{"lr", "1"}}, {{"lr", "2"}}}, {0.1, 0.2}).empty()); // two runs: nothing
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
