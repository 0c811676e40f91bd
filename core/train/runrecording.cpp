#include "train/runrecording.h"

#include "io/outputtarget.h"
#include "store/runstore.h"

#include <unistd.h>

namespace ra {

StartedRun startRun(RunStore& store, const Project& project, const std::string& experiment, const std::string& name)
{
    RunRecord r;
    r.experiment = experiment;
    r.name = name.empty() ? project.name : name;
    r.method = methodName(project.config.method);
    r.projectPath = project.path;
    r.projectSnapshot = project.snapshot();
    r.modelPath = project.model;
    r.codeVersion = RA_VERSION;
    r.pid = getpid();
    StartedRun started;
    started.id = store.createRun(r, project.config.toParams());
    started.statePath = store.runDirectory(started.id) + "/state.pt";
    store.setStatePath(started.id, started.statePath);
    return started;
}

void checkRunExportTarget(const RunStore& store, int64_t id, const std::string& target, bool folder, bool force)
{
    const RunRecord r = store.run(id);
    const std::string db = store.path();
    const std::vector<ProtectedPath> inputs = {
        {db, "the run store"},
        {db + "-wal", "the run store's journal"},
        {db + "-shm", "the run store's journal"},
        {store.runsFolder(), "inside the run store's folder of run files", true},
        {r.projectPath, "the run's project file"},
        {r.modelPath, "the run's base model", true},
        {r.statePath, "the run's checkpoint"},
    };
    checkOutputTarget(target, folder ? std::vector<std::string>{"model.safetensors", "config.json"} : std::vector<std::string>{},
                      inputs, force);
    store.requireWritable();
}

std::map<std::string, double> progressMetrics(const TrainProgress& p)
{
    std::map<std::string, double> values{{"loss", p.loss}, {"lr", p.learningRate}};
    for (const auto& [set, acc] : p.accuracy) values["acc/" + set] = acc;
    return values;
}

} // namespace ra
