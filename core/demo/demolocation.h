#pragma once
// Where the demo project lives. In a source checkout: projects/digits-shift/ (data prepared into
// its data/ folder). In an installation (share/radapter-studio/projects, read-only): a copy of the
// project in $XDG_DATA_HOME/radapter-studio/digits-shift/ whose model path points back at the
// installed model, with the data prepared beside it. Torch-free.
#include <string>

namespace ra {

// SOURCETREE: the checkout the program was built from (may no longer exist); EXECUTABLEDIR: the
// folder of the running program. Returns the project file path; creates the user copy when
// needed. Throws ra::Error when no demo project can be found.
std::string locateDemoProject(const std::string& sourceTree, const std::string& executableDir);
// The data folder of a demo project file (its data/ sibling).
std::string demoDataDir(const std::string& projectPath);

} // namespace ra
