#pragma once
// Refusing an output path that would destroy an input (export, and pretrain's --out). An export
// that overwrote the run store, the project, the run's checkpoint or its base model would lose
// data silently (and, for the base model, change every later result of the run), so those are
// refused whatever the user says;
// any other existing file is replaced only when the user asked for it (--force, or the Studio's
// file dialog, which asks). Torch-free.
#include <string>
#include <vector>

namespace ra {

struct ProtectedPath {
    std::string path;
    std::string role;  // "the run store", "the run's base model", ... for the message
    bool tree = false; // the whole folder below PATH is protected, not just PATH
};

// Throws ra::Error with one sentence when TARGET must not be written. FILES are the names the
// export writes below TARGET when it is a folder export ({"model.safetensors", "config.json"}),
// empty for a one-file export. Checks: TARGET is not empty; neither TARGET nor any written file is
// (the same file as) a protected path or lies inside a protected tree; no written file is a SQLite
// database or a radapter project (never replaced, even with FORCE); an existing file (or, for a
// folder export, a written file that exists) is refused unless FORCE; a one-file target must not
// be a folder; the folder it is written in exists (for a folder export: the nearest existing folder
// above it) and is writable.
void checkOutputTarget(const std::string& target, const std::vector<std::string>& files,
                       const std::vector<ProtectedPath>& inputs, bool force);

// The Studio's "save as" of one file (a plot, a runs export), after its file dialog asked whether
// to replace an existing file: throws ra::Error when TARGET is a folder or not a regular file, is
// a file nothing may replace (an SQLite database, a radapter project, a run store this process
// has open, which is never even read: io/lockedfiles.h; a confirmed "replace" in a dialog is
// quickly given), or lies in a folder that does not exist or cannot be written.
void checkSaveAsTarget(const std::string& target);

} // namespace ra
