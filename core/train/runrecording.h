#pragma once
// Recording a training run in the run store: the one place that says what a run's record holds,
// shared by `radapter train` and the Studio's worker so both store runs the same way.
// Torch-free.
#include "project/project.h"
#include "train/trainingsession.h"

#include <cstdint>
#include <map>
#include <string>

namespace ra {

class RunStore;

struct StartedRun {
    int64_t id = 0;
    std::string statePath; // the run's checkpoint file, inside its run directory
};

// Creates the run (status running, this process's pid, the project snapshot and its parameters)
// and sets its state path. Throws ra::Error on store failures.
StartedRun startRun(RunStore& store, const Project& project, const std::string& experiment, const std::string& name);

// Refuses, before anything is written, an export of run ID to TARGET that would replace the run
// store (or any run's files), the run's project, base model or checkpoint, or an existing file
// unless FORCE (io/outputtarget.h), and an export the store could not record (read-only store).
// FOLDER: a Hugging Face folder export (config.json + model.safetensors) rather than one file.
void checkRunExportTarget(const RunStore& store, int64_t id, const std::string& target, bool folder, bool force);

// The metric rows one progress report adds: loss, lr and acc/SET for each evaluated set.
std::map<std::string, double> progressMetrics(const TrainProgress& progress);

} // namespace ra
