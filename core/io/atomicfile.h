#pragma once
// Every file the project writes (checkpoints, exports, project files) goes through AtomicFile:
// the bytes go to a temporary file in the target's own folder, which is renamed over the target
// only when it is complete and on disk. A reader therefore sees the old file or the new one,
// never half of either, and a full disk or a killed process cannot damage what was there.
// Torch-free.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace ra {

class AtomicFile {
public:
    // Opens "<TARGET>.radapter-tmp-<pid>" for writing. WHAT names the file in errors ("the
    // checkpoint", "the export"). Throws ra::Error when the folder cannot be written, or TARGET
    // is a folder or exists as something other than a regular file (a device, a pipe).
    explicit AtomicFile(std::string target, std::string what = "the file");
    // Removes the temporary file unless commit() succeeded.
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    // Appends bytes. Never throws: the first error (disk full, quota, I/O) is kept and commit()
    // reports it, so a caller in the middle of a library's serialiser need not unwind through it.
    void write(const void* data, size_t size);
    // write() as the function libtorch's serialiser calls; it always reports success because
    // libtorch aborts the process when a write fails while its writer is being destroyed.
    std::function<size_t(const void*, size_t)> sink();
    // Flushes and fsyncs the data, renames it over the target and fsyncs the folder. Throws
    // ra::Error naming the target and the reason ("no space left on the device") and removes the
    // temporary file when anything failed.
    void commit();

    const std::string& target() const { return m_target; }
    const std::string& temporaryPath() const { return m_temporary; }

private:
    std::string m_target, m_what, m_temporary;
    int m_fd = -1;
    int m_error = 0;
    bool m_committed = false;
    // Removes the temporary file and throws "TARGET: WHAT (reason); nothing was replaced."
    [[noreturn]] void fail(const std::string& what, int error);
};

// Writes TEXT to PATH atomically (AtomicFile). Throws ra::Error.
void writeFileAtomically(const std::string& path, const std::string& text, const std::string& what = "the file");

// The suffix marking AtomicFile's temporary files: "<target>.radapter-tmp-<pid>".
constexpr const char* kTemporarySuffix = ".radapter-tmp-";

// Removes temporary files in FOLDER (not below it) that a process which no longer exists left
// behind (killed mid-write). Returns how many were removed; never throws.
int removeStaleTemporaries(const std::string& folder);

// Whether process PID exists (EPERM counts: it does, as another user's). For files and runs a
// process left behind.
bool processExists(int64_t pid);

// "no space left on the device" and the like: strerror in the project's words for the common
// write errors.
std::string writeErrorText(int error);

} // namespace ra
