#include "demo/demoseeds.h"

#include "util/error.h"

namespace ra {

std::vector<DemoMethodSummary> summarizeDemoSeeds(const std::vector<DemoResult>& runs)
{
    if (runs.empty()) throw Error("demo seeds: no run to summarise.");
    const DemoResult& first = runs.front();
    std::vector<DemoMethodSummary> out;
    for (size_t m = 0; m < first.methods.size(); ++m) {
        const DemoMethodResult& like = first.methods[m];
        std::vector<double> id, average;
        std::map<std::string, std::vector<double>> ood;
        DemoMethodSummary s;
        s.name = like.name;
        for (const DemoResult& r : runs) {
            if (r.methods.size() != first.methods.size() || r.methods[m].name != like.name)
                throw Error("demo seeds: the runs do not compare the same methods.");
            const DemoMethodResult& x = r.methods[m];
            if (x.ood.size() != like.ood.size())
                throw Error("demo seeds: the runs were not evaluated on the same OOD sets.");
            s.alphas.push_back(x.alpha);
            id.push_back(x.id);
            average.push_back(x.oodAverage);
            for (const auto& [set, acc] : like.ood) {
                const auto it = x.ood.find(set);
                if (it == x.ood.end()) throw Error("demo seeds: the runs were not evaluated on the same OOD sets.");
                ood[set].push_back(it->second);
            }
        }
        s.id = meanStd(id);
        s.oodAverage = meanStd(average);
        for (const auto& [set, values] : ood) s.ood[set] = meanStd(values);
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<DemoCurvePoint> meanWiseFtCurve(const std::vector<DemoResult>& runs)
{
    if (runs.empty()) throw Error("demo seeds: no run to summarise.");
    std::vector<DemoCurvePoint> mean = runs.front().wiseFtCurve;
    for (size_t r = 1; r < runs.size(); ++r) {
        const auto& curve = runs[r].wiseFtCurve;
        if (curve.size() != mean.size()) throw Error("demo seeds: the runs' WiSE-FT curves have different alphas.");
        for (size_t i = 0; i < curve.size(); ++i) {
            if (curve[i].alpha != mean[i].alpha)
                throw Error("demo seeds: the runs' WiSE-FT curves have different alphas.");
            mean[i].id += curve[i].id;
            mean[i].oodAverage += curve[i].oodAverage;
        }
    }
    for (auto& p : mean) {
        p.id /= double(runs.size());
        p.oodAverage /= double(runs.size());
    }
    return mean;
}

std::vector<DemoCurvePoint> meanRAdapterCurve(const std::vector<DemoResult>& runs)
{
    if (runs.empty()) throw Error("demo seeds: no run to summarise.");
    std::map<double, std::pair<std::vector<double>, std::vector<double>>> at; // alpha -> IDs, OOD averages
    for (const DemoResult& r : runs)
        for (const DemoCurvePoint& p : r.radapterCurve) {
            at[p.alpha].first.push_back(p.id);
            at[p.alpha].second.push_back(p.oodAverage);
        }
    std::vector<DemoCurvePoint> mean;
    for (const auto& [alpha, values] : at)
        mean.push_back({alpha, meanStd(values.first).mean, meanStd(values.second).mean});
    return mean;
}

} // namespace ra
