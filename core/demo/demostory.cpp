#include "demo/demostory.h"

#include "util/error.h"
#include "util/numbertext.h"

#include <algorithm>
#include <cmath>

namespace ra {
namespace {

// A difference of fractions in points, rounded to the tenth the text shows, so that what is
// printed and what is judged agree (-1.5 is within "-1.5 or more" however the fractions round).
double points(double delta)
{
    const double tenths = std::round(1000 * delta) / 10;
    return tenths == 0 ? 0.0 : tenths; // never "-0.0"
}

// "fine-tuning's ID accuracy against zero-shot: +21.6 points (bar: +10 or more)"
StoryClaim claim(const char* what, double pts, const char* bar, bool holds, bool goal = false)
{
    const std::string number = fixedNumberText(pts, 1);
    return {std::string(what) + ": " + (pts >= 0 ? "+" : "") + number + " points (" + bar + ")", holds, goal};
}

} // namespace

double oodAverageOnCurveAt(const std::vector<DemoCurvePoint>& curve, double id)
{
    for (size_t i = 0; i + 1 < curve.size(); ++i) {
        const DemoCurvePoint &a = curve[i], &b = curve[i + 1];
        if (id < std::min(a.id, b.id) || id > std::max(a.id, b.id)) continue;
        if (a.id == b.id) return std::max(a.oodAverage, b.oodAverage); // a vertical step: its better end
        return a.oodAverage + (id - a.id) / (b.id - a.id) * (b.oodAverage - a.oodAverage);
    }
    return std::nan("");
}

std::vector<StoryClaim> checkPaperStory(const std::map<std::string, StoryPoint>& methods,
                                        const std::vector<DemoCurvePoint>& wiseFtCurve)
{
    auto get = [&](const char* name) {
        const auto it = methods.find(name);
        if (it == methods.end()) throw Error(std::string("the demo result has no '") + name + "' row.");
        return it->second;
    };
    const StoryPoint zs = get("zero-shot"), ft = get("fine-tuning"), wise = get("WiSE-FT"), ra = get("R-Adapter");
    const double ftId = points(ft.id - zs.id), ftOod = points(ft.oodAverage - zs.oodAverage),
                 wiseOod = points(wise.oodAverage - std::max(zs.oodAverage, ft.oodAverage)),
                 raId = points(ra.id - ft.id), raOodFt = points(ra.oodAverage - ft.oodAverage),
                 raOodZs = points(ra.oodAverage - zs.oodAverage), raOodWise = points(ra.oodAverage - wise.oodAverage);
    std::vector<StoryClaim> claims = {
        claim("fine-tuning's ID accuracy against zero-shot", ftId, "bar: +10 or more", ftId >= 10),
        claim("fine-tuning's OOD average against zero-shot", ftOod, "bar: -2 or less, the premise", ftOod <= -2),
        claim("WiSE-FT (alpha 0.5) OOD average against the better of the two", wiseOod, "bar: above 0", wiseOod > 0),
        claim("R-Adapter's ID accuracy against fine-tuning", raId, "bar: -1.5 or more", raId >= -1.5),
        claim("R-Adapter's OOD average against fine-tuning", raOodFt, "bar: above 0", raOodFt > 0),
        claim("R-Adapter's OOD average against zero-shot", raOodZs, "bar: above 0", raOodZs > 0),
        claim("R-Adapter's OOD average against WiSE-FT", raOodWise, "beyond the bar, the paper's result: 0 or more",
              raOodWise >= 0, true),
    };
    const double wiseAtRaId = oodAverageOnCurveAt(wiseFtCurve, ra.id);
    if (!std::isnan(wiseAtRaId)) {
        const double raOodCurve = points(ra.oodAverage - wiseAtRaId);
        claims.push_back(claim("R-Adapter's OOD average against the WiSE-FT curve at the same ID accuracy", raOodCurve,
                               "beyond the bar, the paper's figure: above the curve", raOodCurve > 0, true));
    }
    return claims;
}

std::vector<StoryClaim> checkPaperStory(const DemoResult& result)
{
    std::map<std::string, StoryPoint> points;
    for (const auto& m : result.methods) points[m.name] = {m.id, m.oodAverage};
    return checkPaperStory(points, result.wiseFtCurve);
}

std::vector<StoryClaim> checkPaperStory(const std::vector<DemoMethodSummary>& summary,
                                        const std::vector<DemoCurvePoint>& meanWiseFtCurve)
{
    std::map<std::string, StoryPoint> points;
    for (const auto& m : summary) points[m.name] = {m.id.mean, m.oodAverage.mean};
    return checkPaperStory(points, meanWiseFtCurve);
}

} // namespace ra
