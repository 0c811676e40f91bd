#pragma once
// One function per `radapter` command; each returns the process exit status and throws
// ra::Error / UsageError for main() to report.
namespace ra::cli {

int runTokenize(int argc, char** argv, int first);
int runEmbed(int argc, char** argv, int first);
int runZeroShot(int argc, char** argv, int first);
int runInfo(int argc, char** argv, int first);
int runBench(int argc, char** argv, int first, int threads);

} // namespace ra::cli
