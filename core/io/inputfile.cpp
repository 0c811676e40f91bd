#include "io/inputfile.h"

#include "io/lockedfiles.h"
#include "util/error.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <new>

namespace fs = std::filesystem;

namespace ra {

std::ifstream openInputFile(const std::string& path, const std::string& what, std::ios::openmode mode)
{
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (fs::is_directory(status)) throw Error(path + ": is a folder, not a " + what + ".");
    // A device never ends (/dev/zero) or waits for a person (a terminal); a pipe ends.
    if (fs::is_character_file(status) || fs::is_block_file(status))
        throw Error(path + ": is a device, not a " + what + ".");
    // Reading it would drop the locks this process holds on it (io/lockedfiles.h).
    if (isLockedByThisProcess(path)) throw Error(path + ": is a run store this program has open, not a " + what + ".");
    errno = 0;
    std::ifstream in(path, mode);
    if (!in) {
        const int error = errno;
        if (!fs::exists(path, ec)) throw Error(path + ": no such " + what + ".");
        throw Error(path + ": cannot open the " + what + (error ? " (" + std::string(std::strerror(error)) + ")" : "") +
                    ".");
    }
    return in;
}

std::string readInputFile(const std::string& path, const std::string& what)
{
    std::ifstream in = openInputFile(path, what, std::ios::in | std::ios::binary);
    std::string text;
    try {
        text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    } catch (const std::bad_alloc&) {
        throw Error(path + ": too large to read into memory, not a " + what + ".");
    }
    if (in.bad()) throw Error(path + ": cannot read the " + what + ".");
    return text;
}

} // namespace ra
