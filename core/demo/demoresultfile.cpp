#include "demo/demoresultfile.h"

#include "demo/demostory.h"
#include "util/error.h"
#include "util/numbertext.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace ra {

namespace {

using nlohmann::json;

// The demo's rows in the order runDemo makes them; a JSON object keeps its keys sorted instead.
int methodRank(const std::string& name)
{
    static const std::vector<std::string> others = {"R-Adapter val-argmax", "R-Adapter a=0.5", "R-Adapter a=1.0"};
    const auto key = std::find(kDemoKeyMethods.begin(), kDemoKeyMethods.end(), name);
    if (key != kDemoKeyMethods.end()) return int(key - kDemoKeyMethods.begin());
    return int(kDemoKeyMethods.size() + (std::find(others.begin(), others.end(), name) - others.begin()));
}

double number(const json& j, const char* key, const std::string& where)
{
    if (!j.is_object() || !j.contains(key) || !j.at(key).is_number())
        throw Error(where + " has no number \"" + key + "\"");
    return j.at(key).get<double>();
}

std::vector<DemoCurvePoint> curveFrom(const json& j, const std::string& where)
{
    if (!j.is_array()) throw Error(where + " is not a list of points");
    std::vector<DemoCurvePoint> curve;
    for (const json& p : j)
        curve.push_back({number(p, "alpha", where), number(p, "ID", where), number(p, "OOD_avg", where)});
    std::sort(curve.begin(), curve.end(), [](const auto& a, const auto& b) { return a.alpha < b.alpha; });
    return curve;
}

DemoResult resultFrom(const json& j)
{
    if (!j.is_object() || !j.contains("methods") || !j.at("methods").is_object() || j.at("methods").empty())
        throw Error("it holds no demo methods (not the output of `radapter demo --json`)");
    DemoResult r;
    for (const auto& [name, m] : j.at("methods").items()) {
        DemoMethodResult row;
        row.name = name;
        const std::string where = "method \"" + name + "\"";
        row.alpha = number(m, "alpha", where);
        row.id = number(m, "ID", where);
        row.oodAverage = number(m, "OOD_avg", where);
        if (!m.contains("OOD") || !m.at("OOD").is_object()) throw Error(where + " has no OOD sets");
        for (const auto& [set, v] : m.at("OOD").items()) {
            if (!v.is_number()) throw Error(where + ": OOD set \"" + set + "\" is not a number");
            row.ood[set] = v.get<double>();
        }
        r.methods.push_back(std::move(row));
    }
    // The four the figure and the story are about (demo/demostory.h needs each).
    for (const std::string& needed : kDemoKeyMethods)
        if (!j.at("methods").contains(needed)) throw Error("it has no \"" + needed + "\" method");
    std::stable_sort(r.methods.begin(), r.methods.end(),
                     [](const auto& a, const auto& b) { return methodRank(a.name) < methodRank(b.name); });
    const json none = json::object();
    const json& curves = j.contains("curves") ? j.at("curves") : none;
    if (curves.contains("WiSE-FT")) r.wiseFtCurve = curveFrom(curves.at("WiSE-FT"), "the WiSE-FT curve");
    if (curves.contains("R-Adapter")) r.radapterCurve = curveFrom(curves.at("R-Adapter"), "the R-Adapter curve");
    if (j.contains("alpha_selection")) {
        const json& s = j.at("alpha_selection");
        r.alphaChoice.oneStandardError = number(s, "alpha", "the alpha selection");
        r.alphaChoice.argmax = number(s, "argmax", "the alpha selection");
        r.alphaChoice.bestAccuracy = number(s, "best_val", "the alpha selection");
        r.alphaChoice.standardError = number(s, "standard_error", "the alpha selection");
        if (s.contains("val_curve") && s.at("val_curve").is_object())
            for (const auto& [alpha, acc] : s.at("val_curve").items())
                if (const auto a = finiteNumberFrom(alpha); a && acc.is_number())
                    r.radapterValidation[*a] = acc.get<double>();
    }
    if (j.contains("seconds") && j.at("seconds").is_number()) r.seconds = j.at("seconds").get<double>();
    if (j.contains("seed") && j.at("seed").is_number_unsigned()) r.seed = j.at("seed").get<uint64_t>();
    return r;
}

} // namespace

std::string paperStoryJson(const std::vector<StoryClaim>& claims)
{
    json out = json::array();
    for (const auto& c : claims) out.push_back({{"claim", c.text}, {"holds", c.holds}, {"goal", c.goal}});
    return out.dump();
}

std::string demoResultJson(const DemoResult& r, const std::string& project)
{
    json methods = json::object();
    for (const auto& m : r.methods)
        methods[m.name] = {{"ID", m.id}, {"OOD", m.ood}, {"OOD_avg", m.oodAverage}, {"alpha", m.alpha}};
    json validation = json::object();
    for (const auto& [alpha, acc] : r.radapterValidation)
        validation[fixedNumberText(alpha, 1)] = acc; // "1.2" in every locale
    const AlphaChoice& c = r.alphaChoice;
    const json selection = {
        {"rule", "one-standard-error"}, {"alpha", c.oneStandardError},       {"argmax", c.argmax},
        {"best_val", c.bestAccuracy},   {"standard_error", c.standardError}, {"val_curve", validation}};
    auto curve = [](const std::vector<DemoCurvePoint>& points) {
        json c = json::array();
        for (const auto& p : points) c.push_back({{"alpha", p.alpha}, {"ID", p.id}, {"OOD_avg", p.oodAverage}});
        return c;
    };
    return json({{"methods", methods},
                 {"curves", {{"WiSE-FT", curve(r.wiseFtCurve)}, {"R-Adapter", curve(r.radapterCurve)}}},
                 {"alpha_selection", selection},
                 {"story", json::parse(paperStoryJson(checkPaperStory(r)))},
                 {"seconds", r.seconds},
                 {"seed", r.seed},
                 {"project", project}})
        .dump();
}

std::vector<DemoResult> parseDemoResults(const std::string& text, const std::string& source)
{
    json j;
    try {
        j = json::parse(text);
    } catch (const json::parse_error&) {
        throw Error(source + ": not a demo result (not JSON).");
    }
    try {
        std::vector<DemoResult> results;
        if (j.is_object() && j.contains("runs") && j.at("runs").is_array()) { // `demo --seeds --json`
            for (const json& run : j.at("runs")) results.push_back(resultFrom(run));
            if (results.empty()) throw Error("its list of seeds is empty");
        } else {
            results.push_back(resultFrom(j));
        }
        return results;
    } catch (const Error& e) {
        throw Error(source + ": not a demo result: " + e.what() + ".");
    } catch (const json::exception&) {
        throw Error(source + ": not a demo result: a value has the wrong type.");
    }
}

std::vector<DemoResult> readDemoResults(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot be read.");
    std::ostringstream text;
    text << in.rdbuf();
    return parseDemoResults(text.str(), path);
}

} // namespace ra
