#pragma once
// An exclusive advisory lock (flock) on a file, held while the object lives, so that programs
// which update one shared thing (the kernel cache, the demo's prepared data) take turns instead of
// undoing each other's work. Blocks until the lock is free. Where the lock file cannot be made
// (a read-only folder), nothing is locked and held() is false: the caller goes on unguarded, as
// it would on a system without the lock. Torch-free.
#include <string>

namespace ra {

class FileLock {
public:
    // Creates PATH when missing (it stays, empty, so that every program locks the same file).
    explicit FileLock(const std::string& path);
    ~FileLock(); // closing the descriptor releases the lock
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

    bool held() const { return m_fd >= 0; }

private:
    int m_fd = -1;
};

} // namespace ra
