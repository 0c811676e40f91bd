#pragma once
// Training one run into the run store, shared by `radapter train` and `radapter search`: progress
// on stderr, every report recorded, and Ctrl-C or SIGTERM stopping it after the current step (the
// run is kept, interrupted, and resumes with `train --resume`).
#include "platform/signalhandlers.h"
#include "train/runrecording.h"
#include "train/trainingsession.h"

#include <map>
#include <optional>
#include <string>

namespace ra::cli {

// While one exists, Ctrl-C and SIGTERM set requested() (until the next one is made) instead of
// ending the process; one the process was started ignoring stays ignored.
class StopSignals {
public:
    StopSignals();
    static bool requested();

private:
    std::optional<ScopedSignalHandlers> m_handlers;
};

struct RecordedTraining {
    TrainOutcome outcome;
    std::map<std::string, EvalResult> results; // the final evaluation (empty unless finished)
};

// Trains SESSION as RECORDER's run (RESUME: from its checkpoint), printing a progress line every
// ten steps and at each evaluation unless QUIET, and stopping after the step in which Ctrl-C or
// SIGTERM came (StopSignals::requested() then stays true), or after step STOP_AFTER when it is > 0
// (a successive-halving rung: interrupted, resumable); then records the end (RunRecorder::finish).
RecordedTraining trainRecorded(TrainingSession& session, RunRecorder& recorder, bool quiet, bool resume,
                               int stopAfter = 0);

} // namespace ra::cli
