#include "io/lockedfiles.h"

#include <mutex>
#include <set>
#include <sys/stat.h>
#include <utility>

namespace ra {
namespace {

using Identity = std::pair<uint64_t, uint64_t>; // device, inode

std::mutex& registryLock()
{
    static std::mutex lock;
    return lock;
}

std::multiset<Identity>& registry()
{
    static std::multiset<Identity> files;
    return files;
}

bool identityOf(const std::string& path, Identity* out)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return false;
    *out = {uint64_t(st.st_dev), uint64_t(st.st_ino)};
    return true;
}

bool registered(const std::string& path)
{
    Identity id;
    if (!identityOf(path, &id)) return false;
    const std::lock_guard<std::mutex> guard(registryLock());
    return registry().count(id) > 0;
}

} // namespace

LockedFile::LockedFile(const std::string& path)
{
    Identity id;
    if (!identityOf(path, &id)) return;
    const std::lock_guard<std::mutex> guard(registryLock());
    registry().insert(id);
    m_registered = true;
    m_device = id.first;
    m_inode = id.second;
}

LockedFile::~LockedFile()
{
    if (!m_registered) return;
    const std::lock_guard<std::mutex> guard(registryLock());
    const auto it = registry().find({m_device, m_inode});
    if (it != registry().end()) registry().erase(it);
}

bool isLockedByThisProcess(const std::string& path)
{
    if (registered(path)) return true;
    for (const char* journal : {"-wal", "-shm"}) {
        const std::string suffix(journal);
        if (path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0 &&
            registered(path.substr(0, path.size() - suffix.size())))
            return true;
    }
    return false;
}

} // namespace ra
