#pragma once
// One function per `radapter` command; each returns the process exit status and throws
// ra::Error / UsageError for main() to report.
#include "platform/precision.h"
#include "util/matrix.h"

#include <string>

namespace ra {
struct TrainConfig;
}

namespace ra::cli {

int runTokenize(int argc, char** argv, int first);
int runEmbed(int argc, char** argv, int first);
int runZeroShot(int argc, char** argv, int first);
int runInfo(int argc, char** argv, int first);
int runBench(int argc, char** argv, int first, int threads);
int runTrain(int argc, char** argv, int first);
int runSearch(int argc, char** argv, int first);
int runSweep(int argc, char** argv, int first);
int runEval(int argc, char** argv, int first);
int runExport(int argc, char** argv, int first);
int runRuns(int argc, char** argv, int first);
int runEmbedFromRun(int argc, char** argv, int first);
int runEmbedSet(int argc, char** argv, int first);
int runClassify(int argc, char** argv, int first);
int runPrepareDemo(int argc, char** argv, int first);
int runPretrain(int argc, char** argv, int first);
int runDemoCommand(int argc, char** argv, int first, int threads);
// `embed`'s output, one JSON line: {"image": rows, "text": rows, "logit_scale": s}.
void printEmbeddings(const FloatMatrix& images, const FloatMatrix& texts, float logitScale);
// One "radapter: warning: ..." line on stderr when REQUESTED is slower than fp32 on this CPU.
void warnAboutPrecision(Precision requested);
// The demo project (source tree, or a user copy of the installed one) and its data folder.
std::string demoProjectPath();
std::string defaultDemoDataDir();
// The run store: a command's own --db, else the global --db, else RunStore::defaultPath().
void setDatabaseOption(const std::string& path);
// The thread count: the global --threads when given (0: all cores) wins over the project's
// `threads` setting, which wins over the default (all cores). -1: --threads was not given.
void setThreadsOption(int threads);
int threadsFor(const TrainConfig& config);
// The key of one `--set key=value`; without '=' a UsageError.
std::string setOptionKey(const std::string& keyValue);
// One `--set key=value` applied to CONFIG; a malformed one or a value the setting refuses is a
// command-line error (UsageError: exit status 2), as any other option's.
void applySetOption(TrainConfig& config, const std::string& keyValue);
// Where the thread count came from ("--threads", "the project's threads setting", "default: all
// cores"), for train to say what it used.
std::string threadsSource(const TrainConfig& config);
std::string databasePath(const class Arguments& args);

} // namespace ra::cli
