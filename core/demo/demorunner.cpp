#include "demo/demorunner.h"

#include "demo/digitsshift.h"
#include "eval/alphagrid.h"
#include "eval/alphaselection.h"
#include "project/project.h"
#include "train/alphasweep.h"
#include "train/trainingsession.h"
#include "util/error.h"
#include "util/runtime.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
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
    std::mutex logMutex; // the two pipelines log from their own threads
    auto say = [&](const std::string& s) {
        if (!log) return;
        const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const std::lock_guard<std::mutex> lock(logMutex);
        log("[" + std::to_string(int(t)) + " s] " + s);
    };
    say("preparing the digits-shift data (deterministic; skipped when present)");
    prepareDigitsShift(o.dataDir);
    Project project = Project::load(o.projectPath);
    project.config.seed = o.seed;
    project.config.evalEvery = 0;
    project.config.checkpointEvery = 0;
    if (o.steps > 0) project.config.steps = o.steps;
    if (o.evalLimit > 0) project.config.evalLimit = o.evalLimit;
    std::vector<std::string> finalSets = {"test"};
    for (const auto& [set, path] : project.ood) finalSets.push_back(set);

    // Two pipelines side by side on a two- or three-thread budget, one thread each: zero-shot,
    // fine-tuning and its WiSE-FT curve; R-Adapter and its validation curve. A model this small
    // uses a second core poorly within one step (a training step is 1.3x faster on two Zen 3
    // cores than on one), two runs side by side use both fully. Each session's numbers do not
    // depend on the other's (its data order, crops and dropping masks are its own:
    // DropMaskSeedScope), so they are those of the same run alone. Larger budgets run the
    // pipelines one after the other with every thread (OpenBLAS must not be entered by two
    // threads that each run it multi-threaded).
    const int budget = o.threads > 0 ? o.threads : hardwareThreads();
    const bool sideBySide = o.parallel && (budget == 2 || budget == 3);
    project.config.threads = sideBySide ? 1 : budget;

    DemoResult result;
    DemoMethodResult zeroShot, fineTuned, wise;
    // A method's results by alpha, each alpha evaluated once; alpha 0, the zero-shot model, is
    // added when both pipelines are done. ON_POINT runs after each alpha.
    auto curveOf = [&](TrainingSession& session, const std::string& name, std::vector<double> alphas,
                       const std::function<void()>& onPoint = {}) {
        std::map<double, DemoMethodResult> at;
        alphas.erase(std::remove(alphas.begin(), alphas.end(), 0.0), alphas.end());
        sweepAlpha(
            session, alphas,
            [&](double alpha, const std::map<std::string, EvalResult>& r) {
                at[alpha] = summarise(name, alpha, r, project);
                if (onPoint) onPoint();
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
    auto trained = [&](TrainingSession& session, const std::string& what) {
        const auto outcome = session.train({}, "", false);
        if (outcome.status == RunStatus::Interrupted) throw Cancelled(); // only the stop check interrupts it
        if (outcome.status != RunStatus::Finished)
            throw Error("demo: " + what + " " + std::string(runStatusName(outcome.status)) + ": " + outcome.message);
    };

    // The sessions are made here, one after the other: loading a model draws from torch's global
    // generator, which two threads must not share.
    Project zs = project, ft = project, rad = project;
    zs.config.method = Method::ZeroShot;
    ft.config.method = Method::FullFineTune;
    ft.config.learningRate = 1e-4;
    rad.config.method = Method::RAdapter;
    TrainingSession zeroShotSession(zs), fineTuning(ft), radapter(rad);
    // A pipeline that fails stops the other within a step or an evaluation chunk.
    std::atomic<bool> abandon{false};
    for (TrainingSession* s : {&zeroShotSession, &fineTuning, &radapter})
        s->setStopCheck([&] { return abandon.load() || (o.shouldStop && o.shouldStop()); });

    std::atomic<bool> firstPipelineDone{false};
    std::map<double, DemoMethodResult> wiseAt, radapterAt;
    auto fineTuningPipeline = [&] {
        say("zero-shot");
        zeroShot = summarise("zero-shot", 0.0, zeroShotSession.evaluate(0.0, finalSets), project);
        say("full fine-tuning: " + std::to_string(ft.config.steps) +
            " steps, image tower + zero-shot head, cross-entropy, lr 1e-4");
        trained(fineTuning, "full fine-tuning");
        say("WiSE-FT: the fine-tuned weights interpolated towards zero-shot");
        wiseAt = curveOf(fineTuning, "WiSE-FT", kCurveAlphas);
        firstPipelineDone = true;
    };
    auto radapterTraining = [&] {
        say("R-Adapter: " + std::to_string(rad.config.steps) + " steps, MPM-NCE, lr " + fmt(rad.config.learningRate) +
            ", p " + fmt(rad.config.adapter.dropProbability) + ", EMA " + fmt(rad.config.emaMomentum));
        trained(radapter, "R-Adapter");
        // Alpha from the ID validation curve only (eval/alphaselection.h): the one-standard-error
        // rule picks the row "R-Adapter"; plain argmax is shown beside it for comparison.
        int64_t valCount = 0;
        sweepAlpha(radapter, AlphaGrid::standard().values,
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
        // Once the other pipeline is done, the rest of this one runs on every thread.
        bool alone = !sideBySide;
        radapterAt = curveOf(radapter, "R-Adapter", alphas, [&] {
            if (!alone && firstPipelineDone) setThreadCount(budget), alone = true;
        });
    };
    if (sideBySide) {
        auto first = std::async(std::launch::async, [&] {
            try {
                fineTuningPipeline();
            } catch (...) {
                abandon = true;
                throw;
            }
        });
        try {
            radapterTraining();
        } catch (...) {
            const bool stoppedByTheOther = abandon.exchange(true);
            first.wait();
            if (stoppedByTheOther) first.get(); // the first failure is the one to report
            throw;
        }
        first.get();
    } else {
        fineTuningPipeline();
        radapterTraining();
    }
    setThreadCount(budget);
    wiseAt[0.0] = radapterAt[0.0] = zeroShot;
    fineTuned = wiseAt.at(1.0);
    wise = wiseAt.at(0.5);
    fineTuned.name = "fine-tuning";
    result.methods = {zeroShot, fineTuned, wise};
    result.wiseFtCurve = toCurve(wiseAt);

    const AlphaChoice& c = result.alphaChoice;
    auto row = [&](const std::string& name, double alpha) {
        DemoMethodResult m = radapterAt.at(alpha);
        m.name = name;
        return m;
    };
    result.methods.push_back(row("R-Adapter", c.oneStandardError));
    result.methods.push_back(row("R-Adapter val-argmax", c.argmax));
    result.methods.push_back(row("R-Adapter a=0.5", 0.5));
    result.methods.push_back(row("R-Adapter a=1.0", 1.0));
    result.radapterCurve = toCurve(radapterAt);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.seed = o.seed;
    return result;
}

} // namespace ra
