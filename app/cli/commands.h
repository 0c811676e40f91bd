#pragma once
// One function per `radapter` command; each returns the process exit status and throws
// ra::Error / UsageError for main() to report.
#include <string>

namespace ra::cli {

int runTokenize(int argc, char** argv, int first);
int runEmbed(int argc, char** argv, int first);
int runZeroShot(int argc, char** argv, int first);
int runInfo(int argc, char** argv, int first);
int runBench(int argc, char** argv, int first, int threads);
int runTrain(int argc, char** argv, int first);
int runSweep(int argc, char** argv, int first);
int runExport(int argc, char** argv, int first);
int runRuns(int argc, char** argv, int first);
int runEmbedFromRun(int argc, char** argv, int first);
int runPrepareDemo(int argc, char** argv, int first);
int runPretrain(int argc, char** argv, int first);
int runDemoCommand(int argc, char** argv, int first, int threads);
// Where the demo's prepared data lives: $RADAPTER_DEMO_DATA, else projects/digits-shift/data next
// to the executable's source tree, else ~/.local/share/radapter-studio/digits-shift.
std::string defaultDemoDataDir();

} // namespace ra::cli
