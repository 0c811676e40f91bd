#include "store/runstatus.h"

namespace ra {

const char* runStatusName(RunStatus s)
{
    switch (s) {
    case RunStatus::Running: return "running";
    case RunStatus::Finished: return "finished";
    case RunStatus::Failed: return "failed";
    case RunStatus::Interrupted: return "interrupted";
    }
    return "?";
}

std::optional<RunStatus> runStatusFromName(const std::string& name)
{
    for (const RunStatus s : {RunStatus::Running, RunStatus::Finished, RunStatus::Failed, RunStatus::Interrupted})
        if (name == runStatusName(s)) return s;
    return std::nullopt;
}

} // namespace ra
