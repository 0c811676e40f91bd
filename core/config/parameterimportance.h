#pragma once
// Which settings of a search mattered: for each setting that differs between the runs, the share
// of a result's variance that its values explain and, for a numeric setting, how the result moves
// with it — the runs browser's Importance tab, as W&B's parameter-importance panel, and the end of
// `radapter search`. Plain statistics, written for this: the importance is omega squared (Hays
// 1963: the between-group share of the variance, corrected for the number of groups, so a setting
// that only splits a few runs at random scores near 0 instead of high), the correlation Spearman's
// (ranks, so a learning rate over decades counts by order, not by value). Torch-free.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ra {

struct SettingImportance {
    std::string setting;
    double importance = 0;             // omega squared, clamped to [0, 1]
    std::optional<double> correlation; // Spearman's rho with the result; numeric settings only
    size_t groups = 0;                 // the groups the importance compared
};

// SETTINGS[i]: run i's settings as text; RESULT[i]: its result (both the same length). Settings
// with one value in every run are left out (a setting a run lacks is the value "" there). A
// setting's groups are its values where each is shared by two runs on average (a grid), else,
// for a numeric setting, floor(sqrt(n)) bins of equal count by its value (random draws; at least
// two). Most important first. Fewer than three runs: none.
std::vector<SettingImportance> settingImportance(const std::vector<std::map<std::string, std::string>>& settings,
                                                 const std::vector<double>& result);

// Omega squared of VALUES split into GROUPS (a group index per value; groups numbered from 0);
// Spearman's rho of X and Y with ties given their mean rank (0 when either is constant).
double omegaSquared(const std::vector<double>& values, const std::vector<size_t>& groups);
double spearman(const std::vector<double>& x, const std::vector<double>& y);

} // namespace ra
