#include "train/runrecording.h"

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

std::map<std::string, double> progressMetrics(const TrainProgress& p)
{
    std::map<std::string, double> values{{"loss", p.loss}, {"lr", p.learningRate}};
    for (const auto& [set, acc] : p.accuracy) values["acc/" + set] = acc;
    return values;
}

} // namespace ra
