#pragma once
// Two programs share the command line (cli/main.cpp). Loading libtorch takes ~0.6 s before main
// (Debian's libtorch pulls in ~290 shared libraries and registers its operators), which every
// command paid, also those that compute nothing. So `radapter` is linked without libtorch and runs
// the commands that need none itself (help, version, tokenize, runs) — at once — and hands every
// other command to `radapter-engine` beside it, which links libtorch and runs every command.
#include <string>

namespace ra::cli {

// Runs COMMAND (argv[first]) with libtorch, after main has checked the global options. In
// radapter-engine: in this process (cli/enginecommands.cpp). In radapter: by replacing this
// process with radapter-engine on the same arguments, so its output, exit status, signals and
// process id are the command's own (cli/engineexec.cpp); it returns only by throwing.
int runEngineCommand(int argc, char** argv, int first, int threads, const std::string& device);

// The folder this program was started from (/proc/self/exe's), "." when it cannot be read.
std::string programDirectory();

} // namespace ra::cli
