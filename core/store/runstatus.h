#pragma once
// A run's status, the one vocabulary of the training session, the run store and both front ends.
// The store keeps the names in its `status` column (with a CHECK on the same four). Torch-free.
#include <optional>
#include <string>

namespace ra {

enum class RunStatus { Running, Finished, Failed, Interrupted };

const char* runStatusName(RunStatus s); // "running", "finished", "failed", "interrupted"
std::optional<RunStatus> runStatusFromName(const std::string& name);

} // namespace ra
