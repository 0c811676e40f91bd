#pragma once
// Tab completion for bash (packaging/bash-completion/radapter). The script runs
// `radapter __complete WORD...` with the command line's words after `radapter`, the last one the
// word being completed (maybe empty); this prints the candidates that start with it, one a line —
// commands, options and their choices as the usage text names them, setting keys for --set, run
// ids from the store — or the one line `__files__` where a file name goes. It needs no libtorch,
// so radapter answers at once (cli/engine.h).

namespace ra::cli {

int runComplete(int argc, char** argv, int first);

} // namespace ra::cli
