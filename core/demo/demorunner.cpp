#include "demo/demorunner.h"

#include "demo/digitsshift.h"
#include "eval/alphagrid.h"
#include "eval/alphaselection.h"
#include "project/project.h"
#include "train/alphasweep.h"
#include "train/trainingsession.h"
#include "util/error.h"

#include <algorithm>
#include <chrono>
#include <sstream>

namespace ra {
namespace {

DemoMethodResult summarise(const std::string& name, double alpha, const std::map<std::string, EvalResult>& r,
                           const Project& project)
{
    DemoMethodResult m;
    m.name = name;
    m.alpha = alpha;
    m.id = r.at("test").primary();
    double sum = 0;
    for (const auto& [set, path] : project.ood) {
        m.ood[set] = r.at(set).primary();
        sum += m.ood[set];
    }
    m.oodAverage = project.ood.empty() ? 0 : sum / double(project.ood.size());
    return m;
}

std::string fmt(double v)
{
    std::ostringstream s;
    s.precision(3);
    s << v;
    return s.str();
}

} // namespace

DemoResult runDemo(const DemoOptions& o, const std::function<void(const std::string&)>& log)
{
    const auto start = std::chrono::steady_clock::now();
    auto say = [&](const std::string& s) {
        if (!log) return;
        const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        log("[" + std::to_string(int(t)) + " s] " + s);
    };
    say("preparing the digits-shift data (deterministic; skipped when present)");
    prepareDigitsShift(o.dataDir);
    Project project = Project::load(o.projectPath);
    project.config.seed = o.seed;
    project.config.threads = o.threads;
    project.config.evalEvery = 0;
    project.config.checkpointEvery = 0;
    if (o.steps > 0) project.config.steps = o.steps;
    if (o.evalLimit > 0) project.config.evalLimit = o.evalLimit;
    std::vector<std::string> finalSets = {"test"};
    for (const auto& [set, path] : project.ood) finalSets.push_back(set);

    DemoResult result;
    DemoMethodResult zeroShot;
    {
        Project zs = project;
        zs.config.method = Method::ZeroShot;
        TrainingSession session(zs);
        session.setStopCheck(o.shouldStop);
        say("zero-shot");
        zeroShot = summarise("zero-shot", 0.0, session.evaluate(0.0, finalSets), project);
        result.methods.push_back(zeroShot);
    }
    // A method's results by alpha, each alpha evaluated once; alpha 0 is the zero-shot model.
    auto curveOf = [&](TrainingSession& session, const std::string& name, std::vector<double> alphas) {
        std::map<double, DemoMethodResult> at{{0.0, zeroShot}};
        alphas.erase(std::remove(alphas.begin(), alphas.end(), 0.0), alphas.end());
        sweepAlpha(
            session, alphas,
            [&](double alpha, const std::map<std::string, EvalResult>& r) {
                at[alpha] = summarise(name, alpha, r, project);
                return true;
            },
            finalSets);
        return at;
    };
    auto toCurve = [](const std::map<double, DemoMethodResult>& at) {
        std::vector<DemoCurvePoint> curve;
        for (const auto& [alpha, m] : at) curve.push_back({alpha, m.id, m.oodAverage});
        return curve;
    };
    {
        Project ft = project;
        ft.config.method = Method::FullFineTune;
        ft.config.learningRate = 1e-4;
        TrainingSession session(ft);
        session.setStopCheck(o.shouldStop);
        say("full fine-tuning: " + std::to_string(ft.config.steps) +
            " steps, image tower + zero-shot head, cross-entropy, lr 1e-4");
        const auto outcome = session.train({}, "", false);
        if (outcome.status == RunStatus::Interrupted) throw Cancelled(); // only the stop check interrupts it
        if (outcome.status != RunStatus::Finished)
            throw Error("demo: full fine-tuning " + std::string(runStatusName(outcome.status)) + ": " +
                        outcome.message);
        say("WiSE-FT: the fine-tuned weights interpolated towards zero-shot");
        auto at = curveOf(session, "WiSE-FT", kCurveAlphas);
        DemoMethodResult fineTuned = at.at(1.0), wise = at.at(0.5);
        fineTuned.name = "fine-tuning";
        result.methods.push_back(fineTuned);
        result.methods.push_back(wise);
        result.wiseFtCurve = toCurve(at);
    }
    {
        Project rad = project;
        rad.config.method = Method::RAdapter;
        TrainingSession session(rad);
        session.setStopCheck(o.shouldStop);
        say("R-Adapter: " + std::to_string(rad.config.steps) + " steps, MPM-NCE, lr " + fmt(rad.config.learningRate) +
            ", p " + fmt(rad.config.adapter.dropProbability) + ", EMA " + fmt(rad.config.emaMomentum));
        const auto outcome = session.train({}, "", false);
        if (outcome.status == RunStatus::Interrupted) throw Cancelled();
        if (outcome.status != RunStatus::Finished)
            throw Error("demo: R-Adapter " + std::string(runStatusName(outcome.status)) + ": " + outcome.message);
        // Alpha from the ID validation curve only (eval/alphaselection.h): the one-standard-error
        // rule picks the row "R-Adapter"; plain argmax is shown beside it for comparison.
        int64_t valCount = 0;
        sweepAlpha(session, AlphaGrid::standard().values,
                   [&](double alpha, const std::map<std::string, EvalResult>& r) {
                       result.radapterValidation[alpha] = r.at("val").primary();
                       valCount = r.at("val").classification.count;
                       return true;
                   },
                   {"val"});
        result.alphaChoice = chooseAlpha(result.radapterValidation, valCount);
        const AlphaChoice& c = result.alphaChoice;
        say("R-Adapter: alpha " + fmt(c.oneStandardError) + " chosen on ID validation (one-standard-error rule: best " +
            fmt(100 * c.bestAccuracy) + " % at alpha " + fmt(c.argmax) + ", SE " + fmt(100 * c.standardError) +
            " points)");
        std::vector<double> alphas = kCurveAlphas;
        for (const double a : {c.oneStandardError, c.argmax})
            if (std::find(alphas.begin(), alphas.end(), a) == alphas.end()) alphas.push_back(a);
        auto at = curveOf(session, "R-Adapter", alphas);
        auto row = [&](const std::string& name, double alpha) {
            DemoMethodResult m = at.at(alpha);
            m.name = name;
            return m;
        };
        result.methods.push_back(row("R-Adapter", c.oneStandardError));
        result.methods.push_back(row("R-Adapter val-argmax", c.argmax));
        result.methods.push_back(row("R-Adapter a=0.5", 0.5));
        result.methods.push_back(row("R-Adapter a=1.0", 1.0));
        result.radapterCurve = toCurve(at);
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace ra
