#include "io/outputtarget.h"

#include "io/atomicfile.h"
#include "io/lockedfiles.h"
#include "util/error.h"

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace ra {
namespace {

fs::path canonicalOf(const std::string& p)
{
    std::error_code ec;
    fs::path c = fs::weakly_canonical(fs::absolute(p, ec), ec);
    return ec ? fs::absolute(p).lexically_normal() : c;
}

// The same file: equal canonical paths (symbolic links resolved) or one inode (hard links).
bool sameFile(const fs::path& a, const fs::path& b)
{
    if (a == b) return true;
    std::error_code ec;
    return fs::exists(a, ec) && fs::exists(b, ec) && fs::equivalent(a, b, ec) && !ec;
}

bool inside(const fs::path& p, const fs::path& folder)
{
    auto f = folder.begin(), q = p.begin();
    for (; f != folder.end(); ++f, ++q)
        if (q == p.end() || *f != *q) return false;
    return true;
}

// What an existing file is, when it is something an export must never replace.
std::string precious(const fs::path& p)
{
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) return {};
    // Never opened to look when this process has it open: the close would drop its locks.
    if (isLockedByThisProcess(p.string())) return "a run store this program has open";
    // A project's keys are written in order, so "format" comes after "classnames", which can be a
    // thousand names long: a JSON file is searched whole (a project is kilobytes; 16 MB at most).
    std::ifstream in(p, std::ios::binary);
    std::string head(4096, '\0');
    in.read(head.data(), std::streamsize(head.size()));
    head.resize(size_t(in.gcount()));
    if (head.compare(0, 16, std::string("SQLite format 3\0", 16)) == 0) return "a SQLite database (a run store?)";
    if (const size_t first = head.find_first_not_of(" \t\r\n"); first != std::string::npos && head[first] == '{') {
        char chunk[1 << 16];
        while (head.size() < (size_t(16) << 20) && (in.read(chunk, sizeof chunk) || in.gcount() > 0))
            head.append(chunk, size_t(in.gcount()));
    }
    if (head.find("\"radapter-project\"") != std::string::npos) return "a radapter project file";
    return {};
}

// The folder the output will be written in must exist (a folder export creates its own folder and
// any missing ones above it, so there the nearest existing one counts) and be writable. Checked
// up front so that pretrain does not train for half an hour and then fail to write its model.
void checkWritableFolder(const std::string& target, const fs::path& root, bool folderExport)
{
    std::error_code ec;
    fs::path folder = root.parent_path();
    if (folderExport)
        while (!folder.empty() && !fs::exists(folder, ec) && folder != folder.root_path())
            folder = folder.parent_path();
    if (folder.empty()) return;
    if (!fs::exists(folder, ec))
        throw Error(target + ": the folder " + folder.string() + " does not exist; create it or choose another.");
    if (!fs::is_directory(folder, ec)) throw Error(target + ": " + folder.string() + " is not a folder.");
    if (::access(folder.c_str(), W_OK) != 0) {
        const int e = errno;
        throw Error(target + ": cannot write in the folder " + folder.string() + " (" + writeErrorText(e) + ").");
    }
}

} // namespace

void checkOutputTarget(const std::string& target, const std::vector<std::string>& files,
                       const std::vector<ProtectedPath>& inputs, bool force)
{
    if (target.empty()) throw Error("the output path is empty; name the file or folder to write.");
    const bool folderExport = !files.empty();
    const fs::path root = canonicalOf(target);
    std::error_code ec;
    if (!folderExport && fs::is_directory(root, ec))
        throw Error(target + ": is a folder; this export writes one file, so name the file.");
    if (folderExport && fs::exists(root, ec) && !fs::is_directory(root, ec))
        throw Error(target + ": is a file; this export writes a folder.");
    checkWritableFolder(target, root, folderExport);
    std::vector<fs::path> written;
    if (folderExport) {
        written.push_back(root);
        for (const auto& f : files) written.push_back(root / f);
    } else {
        written.push_back(root);
    }
    for (const auto& input : inputs) {
        if (input.path.empty()) continue;
        const fs::path in = canonicalOf(input.path);
        for (const auto& w : written) {
            if (sameFile(w, in) || (input.tree && inside(w, in)))
                throw Error(target + ": is " + input.role + " (" + input.path +
                            "); this command never replaces its own inputs.");
        }
    }
    for (size_t i = folderExport ? 1 : 0; i < written.size(); ++i) {
        const fs::path& w = written[i];
        if (fs::exists(w, ec) && !fs::is_regular_file(w, ec) && !fs::is_directory(w, ec))
            throw Error(w.string() + ": is not a regular file (a device or a pipe); this command writes only files.");
        if (const std::string what = precious(w); !what.empty())
            throw Error(w.string() + ": is " + what + "; this command never replaces it.");
        if (fs::exists(w, ec) && !force)
            throw Error(w.string() + ": already exists; choose another name or add --force to replace it.");
    }
}

void checkSaveAsTarget(const std::string& target)
{
    if (target.empty()) throw Error("the output path is empty; name the file to write.");
    const fs::path root = canonicalOf(target);
    std::error_code ec;
    const fs::file_status status = fs::status(root, ec);
    if (fs::is_directory(status)) throw Error(target + ": is a folder; name the file to write.");
    if (fs::exists(status) && !fs::is_regular_file(status))
        throw Error(target + ": is not a regular file (a device or a pipe); name the file to write.");
    if (const std::string what = precious(root); !what.empty())
        throw Error(target + ": is " + what + "; it is never replaced, so nothing was written.");
    checkWritableFolder(target, root, false);
}

} // namespace ra
