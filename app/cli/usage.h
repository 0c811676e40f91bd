#pragma once
// radapter's usage text and its commands, shared by the two programs (cli/engine.h) and by
// command-line completion (cli/completion.h).
#include <string>
#include <vector>

namespace ra::cli {

extern const char* const kUsage;

// COMMAND's lines of the usage text (its line and the indented lines that continue it), without
// their indent; none when COMMAND is unknown.
std::vector<std::string> commandUsageLines(const std::string& command);
// `radapter COMMAND --help`: those lines; for train also every setting with its meaning and
// formula. False when COMMAND is unknown.
bool printCommandHelp(const std::string& command);

// Every command's name (not help and version), in the usage text's order; radapter-engine's
// dispatch (cli/enginecommands.cpp) has a branch for each (tst_cli everyCommandReachesItsParser).
extern const char* const kCommands[15];
bool isCommand(const std::string& command);
// The global options that come before the command, each with a value: --threads, --device, --db.
extern const char* const kGlobalOptions[3];
bool isGlobalOption(const std::string& option);

} // namespace ra::cli
