#include "cli/recordedtraining.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iterator>

namespace ra::cli {
namespace {

std::atomic<bool> g_stopRequested{false};
void onSignal(int) { g_stopRequested = true; }
constexpr int kSignals[] = {SIGINT, SIGTERM};
void (*g_before[std::size(kSignals)])(int) = {SIG_DFL, SIG_DFL}; // each one's action before, given back

} // namespace

StopSignals::StopSignals()
{
    g_stopRequested = false;
    for (size_t i = 0; i < std::size(kSignals); ++i) {
        g_before[i] = std::signal(kSignals[i], onSignal);
        if (g_before[i] == SIG_ERR) g_before[i] = SIG_DFL;
        // One the process was started ignoring stays ignored: a script's `radapter train … &`
        // ignores SIGINT, so a Ctrl-C meant for the script's foreground does not stop it.
        if (g_before[i] == SIG_IGN) std::signal(kSignals[i], SIG_IGN);
    }
}

StopSignals::~StopSignals()
{
    for (size_t i = 0; i < std::size(kSignals); ++i) std::signal(kSignals[i], g_before[i]);
}

bool StopSignals::requested() { return g_stopRequested.load(); }

RecordedTraining trainRecorded(TrainingSession& session, RunRecorder& recorder, bool quiet, bool resume, int stopAfter)
{
    RecordedTraining out;
    {
        // Only while it trains: a signal during the final evaluation ends the process as usual (the
        // run is then found interrupted by the next command), rather than being ignored.
        const StopSignals stop;
        out.outcome = session.train(
            [&](const TrainProgress& p) {
                recorder.progress(p);
                if (!quiet && (p.evaluated || p.step % 10 == 0)) {
                    std::fprintf(stderr, "step %d/%d  loss %.4f  lr %.2e  eta %.0fs", p.step, p.totalSteps, p.loss,
                                 p.learningRate, p.etaSeconds);
                    for (const auto& [set, acc] : p.accuracy)
                        std::fprintf(stderr, "  %s %.1f%%", set.c_str(), 100 * acc);
                    if (p.evaluated && p.bestStep > 0) std::fprintf(stderr, "  best step %d", p.bestStep);
                    std::fprintf(stderr, "\n");
                }
                return !StopSignals::requested();
            },
            recorder.statePath(), resume, stopAfter);
    }
    out.results = recorder.finish(session, out.outcome);
    return out;
}

} // namespace ra::cli
