#include "io/diskusage.h"

#include <filesystem>

namespace ra {
namespace fs = std::filesystem;

uintmax_t bytesOnDisk(const std::string& path)
{
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
        const uintmax_t size = fs::file_size(path, ec);
        return ec ? 0 : size;
    }
    uintmax_t bytes = 0;
    for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec)) bytes += it->file_size(ec);
    return bytes;
}

} // namespace ra
