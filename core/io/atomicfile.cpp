#include "io/atomicfile.h"

#include "util/error.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace ra {
namespace {

void fsyncFolderOf(const std::string& path)
{
    std::string folder = fs::path(path).parent_path().string();
    if (folder.empty()) folder = ".";
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd); // best effort: some file systems refuse fsync on folders
    ::close(fd);
}

} // namespace

bool processExists(int64_t pid)
{
    if (pid <= 0) return false;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

std::string writeErrorText(int error)
{
    switch (error) {
    case ENOSPC: return "no space left on the device";
    case EDQUOT: return "the disk quota is exhausted";
    case EFBIG: return "the file is larger than this system allows";
    case EROFS: return "the file system is read-only";
    case EACCES:
    case EPERM: return "permission denied";
    case ENOENT: return "the folder does not exist";
    case ENOTDIR: return "a part of the path is not a folder";
    case EISDIR: return "it is a folder";
    case EIO: return "an input/output error";
    default: return std::strerror(error);
    }
}

AtomicFile::AtomicFile(std::string target, std::string what) : m_target(std::move(target)), m_what(std::move(what))
{
    if (m_target.empty()) throw Error("the output path is empty.");
    std::error_code ec;
    const fs::file_status status = fs::status(m_target, ec);
    if (fs::is_directory(status)) throw Error(m_target + ": is a folder; " + m_what + " needs a file name.");
    // Renaming over a device or a pipe would replace it with a file: /dev/null given as a target
    // ("export it nowhere") was a regular file afterwards, for a program running as root.
    if (fs::exists(status) && !fs::is_regular_file(status))
        throw Error(m_target + ": is not a regular file (a device or a pipe); " + m_what + " needs a file name.");
    // SIGXFSZ would kill the process when a file size limit is hit; as an error it is reported.
    std::signal(SIGXFSZ, SIG_IGN);
    m_temporary = m_target + kTemporarySuffix + std::to_string(::getpid());
    m_fd = ::open(m_temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (m_fd < 0) {
        const int e = errno;
        throw Error(m_target + ": cannot write " + m_what + " (" + writeErrorText(e) + ").");
    }
}

AtomicFile::~AtomicFile()
{
    if (m_fd >= 0) ::close(m_fd);
    if (!m_committed) ::unlink(m_temporary.c_str());
}

void AtomicFile::write(const void* data, size_t size)
{
    const char* p = static_cast<const char*>(data);
    while (size > 0 && m_error == 0) {
        const ssize_t n = ::write(m_fd, p, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            m_error = errno;
        } else if (n == 0) {
            m_error = ENOSPC;
        } else {
            p += n;
            size -= size_t(n);
        }
    }
}

std::function<size_t(const void*, size_t)> AtomicFile::sink()
{
    return [this](const void* data, size_t size) {
        write(data, size);
        return size;
    };
}

void AtomicFile::fail(const std::string& what, int error)
{
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
    ::unlink(m_temporary.c_str());
    throw Error(m_target + ": " + what + " (" + writeErrorText(error) + "); nothing was replaced.");
}

void AtomicFile::commit()
{
    if (m_committed) return;
    if (m_error != 0) fail("could not write " + m_what, m_error);
    if (::fsync(m_fd) != 0) fail("could not write " + m_what, errno);
    const int closed = ::close(m_fd);
    const int closeError = errno;
    m_fd = -1;
    if (closed != 0) fail("could not write " + m_what, closeError);
    if (::rename(m_temporary.c_str(), m_target.c_str()) != 0) fail("could not move " + m_what + " into place", errno);
    m_committed = true;
    fsyncFolderOf(m_target);
}

void writeFileAtomically(const std::string& path, const std::string& text, const std::string& what)
{
    AtomicFile file(path, what);
    file.write(text.data(), text.size());
    file.commit();
}

int removeStaleTemporaries(const std::string& folder)
{
    int removed = 0;
    std::error_code ec;
    for (fs::directory_iterator it(folder.empty() ? "." : folder, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        const size_t at = name.rfind(kTemporarySuffix);
        if (at == std::string::npos) continue;
        const std::string pidText = name.substr(at + std::strlen(kTemporarySuffix));
        if (pidText.empty() || pidText.find_first_not_of("0123456789") != std::string::npos || pidText.size() > 9)
            continue;
        if (processExists(std::stol(pidText))) continue;
        std::error_code rm;
        if (fs::remove_all(it->path(), rm) > 0 && !rm) ++removed;
    }
    return removed;
}

} // namespace ra
