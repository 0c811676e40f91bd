#include "config/parameterimportance.h"

#include "util/numbertext.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

namespace ra {
namespace {

// Ranks from 1, ties sharing their mean rank.
std::vector<double> ranks(const std::vector<double>& v)
{
    std::vector<size_t> order(v.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
    std::vector<double> r(v.size());
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
        for (size_t k = i; k <= j; ++k) r[order[k]] = 0.5 * double(i + j) + 1;
        i = j + 1;
    }
    return r;
}

} // namespace

double omegaSquared(const std::vector<double>& values, const std::vector<size_t>& groups)
{
    const size_t n = values.size();
    const size_t k = groups.empty() ? 0 : *std::max_element(groups.begin(), groups.end()) + 1;
    if (n <= k || k < 2) return 0;
    const double mean = std::accumulate(values.begin(), values.end(), 0.0) / double(n);
    std::vector<double> sum(k, 0), count(k, 0);
    for (size_t i = 0; i < n; ++i) sum[groups[i]] += values[i], count[groups[i]] += 1;
    double total = 0, between = 0;
    for (double v : values) total += (v - mean) * (v - mean);
    for (size_t g = 0; g < k; ++g)
        if (count[g] > 0) between += count[g] * (sum[g] / count[g] - mean) * (sum[g] / count[g] - mean);
    const double withinMean = (total - between) / double(n - k);
    if (total <= 0) return 0;
    return std::clamp((between - double(k - 1) * withinMean) / (total + withinMean), 0.0, 1.0);
}

double spearman(const std::vector<double>& x, const std::vector<double>& y)
{
    const std::vector<double> rx = ranks(x), ry = ranks(y);
    const double mean = 0.5 * double(x.size() + 1); // of either ranking
    double xy = 0, xx = 0, yy = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        xy += (rx[i] - mean) * (ry[i] - mean);
        xx += (rx[i] - mean) * (rx[i] - mean);
        yy += (ry[i] - mean) * (ry[i] - mean);
    }
    return xx > 0 && yy > 0 ? xy / std::sqrt(xx * yy) : 0;
}

std::vector<SettingImportance> settingImportance(const std::vector<std::map<std::string, std::string>>& settings,
                                                 const std::vector<double>& result)
{
    const size_t n = std::min(settings.size(), result.size());
    std::vector<SettingImportance> out;
    if (n < 3) return out;
    std::set<std::string> names;
    for (size_t i = 0; i < n; ++i)
        for (const auto& [key, value] : settings[i]) names.insert(key);
    for (const std::string& name : names) {
        std::vector<std::string> text(n);
        std::vector<double> number(n);
        bool numeric = true;
        for (size_t i = 0; i < n; ++i) {
            const auto it = settings[i].find(name);
            text[i] = it == settings[i].end() ? std::string() : it->second;
            const std::optional<double> v = finiteNumberFrom(text[i]);
            numeric = numeric && v.has_value();
            number[i] = v.value_or(0);
        }
        const std::set<std::string> distinct(text.begin(), text.end());
        if (distinct.size() < 2) continue;
        SettingImportance s;
        s.setting = name;
        std::vector<size_t> group(n);
        if (2 * distinct.size() <= n || !numeric) { // each value a group
            for (size_t i = 0; i < n; ++i) group[i] = size_t(std::distance(distinct.begin(), distinct.find(text[i])));
            s.groups = distinct.size();
        } else { // bins of equal count by value, ties kept together by their mean rank
            const size_t bins = std::max<size_t>(2, size_t(std::floor(std::sqrt(double(n)))));
            const std::vector<double> r = ranks(number);
            for (size_t i = 0; i < n; ++i) group[i] = std::min(bins - 1, size_t((r[i] - 1) * double(bins) / double(n)));
            s.groups = std::set<size_t>(group.begin(), group.end()).size();
            // Renumber from 0 without gaps (ties can leave a bin empty).
            const std::set<size_t> used(group.begin(), group.end());
            for (size_t& g : group) g = size_t(std::distance(used.begin(), used.find(g)));
        }
        const std::vector<double> values(result.begin(), result.begin() + long(n));
        s.importance = omegaSquared(values, group);
        if (numeric) s.correlation = spearman(number, values);
        out.push_back(std::move(s));
    }
    std::stable_sort(out.begin(), out.end(), [](const SettingImportance& a, const SettingImportance& b) {
        return a.importance > b.importance;
    });
    return out;
}

} // namespace ra
