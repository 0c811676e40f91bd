#include "io/filelock.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace ra {

FileLock::FileLock(const std::string& path) : m_fd(::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644))
{
    if (m_fd < 0) return;
    int rc;
    do rc = ::flock(m_fd, LOCK_EX);
    while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

FileLock::~FileLock()
{
    if (m_fd >= 0) ::close(m_fd);
}

} // namespace ra
