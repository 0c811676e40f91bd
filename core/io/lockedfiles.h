#pragma once
// The files this process holds POSIX locks on: the run stores it has open, which SQLite locks.
// Nothing here opens such a file a second time just to look at it (a "save as" peeking at a
// header, an import naming it): closing any descriptor of a file drops every POSIX lock the
// process holds on it, SQLite's included (sqlite.org/howtocorrupt.html, 2.2), and another
// process's writes (a `radapter` command beside the Studio) could then corrupt the store. Other
// files are read as usual, also while another thread reads them. Torch-free.
#include <cstdint>
#include <string>

namespace ra {

// Registers the file at PATH (its device and inode) for this object's lifetime; nothing when
// PATH does not exist (SQLite's ":memory:").
class LockedFile {
public:
    explicit LockedFile(const std::string& path);
    ~LockedFile();
    LockedFile(const LockedFile&) = delete;
    LockedFile& operator=(const LockedFile&) = delete;

private:
    bool m_registered = false;
    uint64_t m_device = 0, m_inode = 0;
};

// Whether PATH is a registered file or its SQLite journal (PATH-wal, PATH-shm), by file identity.
bool isLockedByThisProcess(const std::string& path);

} // namespace ra
