#pragma once
// One function per `radapter` command; each returns the process exit status and throws
// ra::Error / UsageError for main() to report.
#include "platform/precision.h"

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
// One "radapter: warning: ..." line on stderr when REQUESTED is slower than fp32 on this CPU.
void warnAboutPrecision(Precision requested);
// The demo project (source tree, or a user copy of the installed one) and its data folder.
std::string demoProjectPath();
std::string defaultDemoDataDir();
// The run store: a command's own --db, else the global --db, else RunStore::defaultPath().
void setDatabaseOption(const std::string& path);
std::string databasePath(const class Arguments& args);

} // namespace ra::cli
