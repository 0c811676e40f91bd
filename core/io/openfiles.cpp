#include "io/openfiles.h"

#include <dirent.h>
#include <sys/stat.h>

namespace ra {

bool isOpenInThisProcess(const std::string& path)
{
    struct stat target {};
    if (::stat(path.c_str(), &target) != 0) return false;
    DIR* fds = ::opendir("/proc/self/fd");
    if (!fds) return false;
    bool open = false;
    while (const dirent* entry = ::readdir(fds)) {
        if (entry->d_name[0] == '.') continue;
        struct stat st {};
        // stat follows the descriptor's link to the file itself (also one whose name was removed).
        const std::string link = std::string("/proc/self/fd/") + entry->d_name;
        if (::stat(link.c_str(), &st) == 0 && st.st_dev == target.st_dev && st.st_ino == target.st_ino) {
            open = true;
            break;
        }
    }
    ::closedir(fds);
    return open;
}

} // namespace ra
