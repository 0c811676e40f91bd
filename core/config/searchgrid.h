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

// Applies every combination to a copy of BASE and validates it, so a value that cannot run is
// refused before the first run trains. Throws ra::Error naming the combination and the reason.
void checkSearch(const TrainConfig& base, const std::vector<SearchSettings>& combinations);

// "search-20261205-093000" (now, UTC): the tag that finds one search's runs together.
std::string defaultSearchTag();

// "lr=0.003 p=0.1"; without the seed when WITHOUT_SEED.
std::string describeSettings(const SearchSettings& settings, bool withoutSeed = false);

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
