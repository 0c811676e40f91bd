// radapter-engine's half of cli/engine.h: every command in this process, with libtorch.
#include "cli/commands.h"
#include "cli/engine.h"
#include "platform/computedevice.h"
#include "platform/processenvironment.h"
#include "util/runtime.h"

#include <algorithm>
#include <stdexcept>

namespace ra::cli {

int runEngineCommand(int argc, char** argv, int first, int threads, const std::string& device)
{
    // The variables the numerical libraries read (before any libtorch call; re-executes only where
    // OpenBLAS chose the wrong kernels, platform/processenvironment.h).
    ra::prepareProcessEnvironment(argv);
    ra::setComputeDevice(device);
    setThreadsOption(threads);
    ra::setThreadCount(std::max(threads, 0));
    threads = std::max(threads, 0); // bench and demo take it as their count
    const std::string command = argv[first];
    if (command == "tokenize") return runTokenize(argc, argv, first + 1);
    if (command == "embed") return runEmbed(argc, argv, first + 1);
    if (command == "zeroshot") return runZeroShot(argc, argv, first + 1);
    if (command == "info") return runInfo(argc, argv, first + 1);
    if (command == "bench") return runBench(argc, argv, first + 1, threads);
    if (command == "train") return runTrain(argc, argv, first + 1);
    if (command == "search") return runSearch(argc, argv, first + 1);
    if (command == "sweep") return runSweep(argc, argv, first + 1);
    if (command == "eval") return runEval(argc, argv, first + 1);
    if (command == "export") return runExport(argc, argv, first + 1);
    if (command == "runs") return runRuns(argc, argv, first + 1);
    if (command == "classify") return runClassify(argc, argv, first + 1);
    if (command == "prepare-demo") return runPrepareDemo(argc, argv, first + 1);
    if (command == "pretrain") return runPretrain(argc, argv, first + 1);
    if (command == "demo") return runDemoCommand(argc, argv, first + 1, threads);
    throw std::logic_error("no engine command '" + command + "'"); // main checked the name
}

} // namespace ra::cli
