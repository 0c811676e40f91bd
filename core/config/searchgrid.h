#pragma once
// A hyper-parameter search: settings and the values each takes ("lr=1e-3,3e-3,1e-2"), every
// combination one run, and the ranking of the combinations by their ID accuracy — validation
// accuracy where the project has a validation set, never an OOD set, as every choice in this
// project is made. A seed among the settings makes repeated runs of one combination, ranked by
// their mean. Torch-free.
#include "config/trainconfig.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ra {

struct SearchAxis {
    std::string key;
    std::vector<std::string> values;
};

// KEY=V1,V2,... (spaces around the values ignored). Throws ra::Error naming TEXT when it has no
// '=', an empty value or one value twice; the values themselves are checked by checkSearch.
SearchAxis parseSearchAxis(const std::string& text);

using SearchSettings = std::vector<std::pair<std::string, std::string>>;

// Every combination of the axes' values, the last axis varying fastest. Throws ra::Error when a
// key is given twice or there would be more than kMostSearchRuns combinations.
constexpr size_t kMostSearchRuns = 1000;
std::vector<SearchSettings> expandSearch(const std::vector<SearchAxis>& axes);

// Random search (Bergstra & Bengio 2012: with a few settings that matter, random draws cover each
// of them at more distinct values than a grid of the same size). KEY=LOW:HIGH draws uniformly
// between LOW and HIGH, KEY=LOW:HIGH:log uniformly in log space (learning rates, weight decays);
// whole numbers where both ends are whole (steps, batch, rank). Throws ra::Error naming TEXT when
// it is malformed, LOW is not below HIGH, or a log range does not lie above 0.
struct SearchRange {
    std::string key;
    double low = 0, high = 0;
    bool logarithmic = false, whole = false;
};
SearchRange parseSearchRange(const std::string& text);
// The value a fraction U in [0, 1] of the way through R (in log space where logarithmic), as a
// search writes it: 3 significant digits, or a whole number (each one equally likely for a
// uniform U); and back, the fraction where VALUE lies (clamped to [0, 1]).
std::string rangeValue(const SearchRange& r, double u);
double rangeFraction(const SearchRange& r, double value);

// What `radapter search` and Run ▸ Search… are asked for: a grid, ranges and how many samples to
// draw of them. SAMPLE_SEED makes the draws repeatable: the same seed gives the same values (so a
// search started again with its tag reuses its runs), and more samples extend the same draws.
struct SearchSpec {
    std::vector<SearchAxis> grid;
    std::vector<SearchRange> ranges;
    int samples = 0;
    uint64_t sampleSeed = 0;
    bool halving = false; // successive halving (halvingRungs): the combinations are cut at rungs
    bool bayes = false;   // the ranges' later draws chosen by TPE (config/bayessearch.h), not at random
};

// Why successive halving cannot search COMBINATIONS from BASE, or empty: its rungs are steps of one
// schedule, the same for every combination, so neither steps nor epochs may be searched and the
// schedule must be in steps.
std::string halvingProblem(const TrainConfig& base, const std::vector<SearchSettings>& combinations);

// The combinations SPEC asks for: SAMPLES different draws of the ranges (each a value of every
// range, shown to 3 significant digits), each crossed with every grid combination — a grid of
// seeds repeats every draw — or the grid alone without ranges. Throws ra::Error when a key is
// given twice, ranges have no samples (or samples no ranges), the ranges hold fewer different
// draws than asked for, or there would be more than kMostSearchRuns combinations.
std::vector<SearchSettings> planSearch(const SearchSpec& spec);

// DRAW (one draw of the ranges) with each combination of GRID (expandSearch's) after it: the runs
// one draw makes.
std::vector<SearchSettings> crossedWithGrid(const SearchSettings& draw, const std::vector<SearchSettings>& grid);

// Applies every combination to a copy of BASE and validates it, so a value that cannot run is
// refused before the first run trains. Throws ra::Error naming the combination and the reason.
void checkSearch(const TrainConfig& base, const std::vector<SearchSettings>& combinations);

// "search-20261205-093000" (now, UTC): the tag that finds one search's runs together.
std::string defaultSearchTag();

// SETTINGS without the seed: the combination its seeds repeat.
SearchSettings withoutSeed(const SearchSettings& settings);

// "lr=0.003 p=0.1"; without the seed when WITHOUT_SEED.
std::string describeSettings(const SearchSettings& settings, bool withoutSeed = false);

// Successive halving (Jamieson & Talwalkar 2016; the inner loop of Hyperband, Li et al. 2018):
// every combination trains to the first rung, the best third by ID accuracy (validation where the
// project has it, never OOD) goes on to the next, three times as many steps, and so on; only the
// last third trains every step. Each run keeps the full run's schedule, so a combination that goes
// on resumes where it stopped and ends as the run it would have been.
constexpr int kHalvingRate = 3;
// The steps at which a halving search of ARMS combinations (the seeds of one count as one) compares
// them: STEPS / 3^k for k = R down to 0, R = floor(log3 ARMS) — as many rungs as there are thirds
// to cut — each at least one step and more than the one before; the last is STEPS.
std::vector<int> halvingRungs(int steps, size_t arms);
// How many of ARMS go on from a rung: a third, rounded up.
size_t halvingSurvivors(size_t arms);
// The training steps a halving search of ARMS combinations, each with RUNS_PER_ARM seeds, costs in
// all (against ARMS * RUNS_PER_ARM * STEPS without it).
int64_t halvingTrainingSteps(int steps, size_t arms, size_t runsPerArm);

// One run of the search as it ended.
struct SearchRun {
    SearchSettings settings;
    int64_t run = 0;
    bool finished = false;
    double idAccuracy = -1; // the final model's, fraction; -1 when it has none
    double oodAverage = -1; // reported beside it, never used to rank
    double alpha = 1;       // the alpha both were evaluated at (R-Adapter's 0.5 unless set)
};

// One combination's runs (its seeds), with the mean and sample standard deviation of their ID
// accuracy (0 for one run) and the mean OOD average (-1 when none has one).
struct SearchGroup {
    SearchSettings settings; // without the seed
    std::vector<int64_t> runs;
    double idMean = -1, idStd = 0, oodMean = -1;
    int finished = 0;
    double alpha = 1; // its first run's
};

// The combinations, best mean ID accuracy first; a combination with an unfinished run comes after
// every complete one (its mean would be over fewer seeds).
std::vector<SearchGroup> rankSearch(const std::vector<SearchRun>& runs);

} // namespace ra
