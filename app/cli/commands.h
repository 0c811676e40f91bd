#pragma once
// One function per `radapter` command; each returns the process exit status and throws
// ra::Error / UsageError for main() to report.
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

} // namespace ra::cli
