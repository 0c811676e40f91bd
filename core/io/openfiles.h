#pragma once
// Whether this process has a file open, so that it is never opened here a second time just to
// peek at it. Closing any descriptor of a file drops every POSIX lock the process holds on it,
// SQLite's included (sqlite.org/howtocorrupt.html, 2.2): reading the header of the run store the
// Studio has open (a "save as" or an import that names it) would let another process's writes,
// a `radapter` command's, corrupt the store. Torch-free.
#include <string>

namespace ra {

// True when any descriptor of this process refers to the file at PATH (same device and inode,
// read from /proc/self/fd); false when PATH does not exist or /proc cannot be read.
bool isOpenInThisProcess(const std::string& path);

} // namespace ra
