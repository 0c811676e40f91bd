#include "cli/recordedtraining.h"

#include <atomic>
#include <csignal>
#include <cstdio>

namespace ra::cli {
namespace {

std::atomic<bool> g_stopRequested{false};
void onSignal(int) { g_stopRequested = true; }

} // namespace

StopSignals::StopSignals()
{
    g_stopRequested = false;
    // SA_RESTART, as glibc's signal() gives: a read or write the signal interrupts goes on.
    m_handlers.emplace(std::vector<int>{SIGINT, SIGTERM}, onSignal, SA_RESTART);
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
