#pragma once
// Opening a file the user named for reading: a project, a templates or class-names file, a
// dataset's or captions' CSV, a runs export. Every failure is one sentence naming the file and
// what it should have been: a folder (which std::ifstream opens, then reads as empty, so a
// class-names folder read as "0 class names"), a device (/dev/zero, read until memory ran out), a
// run store this process has open (io/lockedfiles.h), a missing file, one that cannot be opened.
// A pipe is read as a file is (`radapter runs import <(ssh host radapter runs export)`).
// Torch-free.
#include <fstream>
#include <string>

namespace ra {

// PATH opened for reading. WHAT names what it should be, a noun that takes "a" ("project file"):
// "PATH: is a folder, not a project file.", "no such project file", "cannot open the project file
// (Permission denied)".
std::ifstream openInputFile(const std::string& path, const std::string& what, std::ios::openmode mode = std::ios::in);

// All of PATH.
std::string readInputFile(const std::string& path, const std::string& what);

} // namespace ra
