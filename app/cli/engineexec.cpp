// radapter's half of cli/engine.h: the commands that need libtorch run in radapter-engine.
#include "cli/engine.h"
#include "util/error.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace ra::cli {

int runEngineCommand(int /*argc*/, char** argv, int first, int /*threads*/, const std::string& /*device*/)
{
    const std::string engine = programDirectory() + "/radapter-engine";
    execv(engine.c_str(), argv);
    const int error = errno;
    throw Error(engine + ": cannot start it (" + std::strerror(error) + "); radapter needs it beside itself for '" +
                argv[first] + "' (reinstall, or build the radapter-engine target).");
}

} // namespace ra::cli
