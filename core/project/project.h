#pragma once
// The versioned JSON project file: model, ID train/val/test data, named OOD sets, task, method
// and hyper-parameters. Paths inside the file are relative to the file; in memory they are
// absolute. Torch-free.
//
// {"format": "radapter-project", "version": 1, "name": "...", "task": "classification",
//  "model": "model.safetensors", "data": {"train": "...", "val": "...", "test": "..."},
//  "ood": {"name": "path", ...}, "classnames": [...] | "file.txt", "templates": "openai" | "short" |
//  [...] | "file.txt", "method": "radapter", "hyperparameters": {"lr": 0.003, ...}}
#include "eval/setrole.h"
#include "config/trainconfig.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ra {

struct Project {
    static constexpr int kVersion = 1;
    std::string path; // the file it was read from (absolute), empty for a new project
    std::string name;
    std::string task = "classification";
    std::string model;                                    // absolute
    std::string train, val, test;                         // absolute, val/test may be empty
    std::vector<std::pair<std::string, std::string>> ood; // name -> absolute path
    std::vector<std::string> classNames;                  // empty: from the dataset
    std::string templatesSpec = "openai";                 // "openai", "short", a file, or "inline"
    std::vector<std::string> templates;                   // resolved templates
    TrainConfig config;

    // Reads and validates PATH. Throws ra::Error naming the file and the problem (missing or
    // invalid JSON, unknown version or task, missing fields, paths that do not exist, bad settings).
    static Project load(const std::string& path);
    // Writes the project to PATH with paths relative to it (atomically). Throws ra::Error.
    void save(const std::string& path) const;
    // Throws ra::Error unless a project may be written at PATH: a new file, an empty one or another
    // project. Save As can name any file and its "replace?" is quickly confirmed; a project never
    // replaces a run store, a model or anything else (save() checks; so does the Studio's New
    // Project, which writes through a checked copy).
    static void checkSaveTarget(const std::string& path);
    // The project as JSON text with absolute paths (a run's snapshot).
    std::string snapshot() const;
    static Project fromSnapshot(const std::string& json);
    // Every evaluation set the project has (val and test when present, then the OOD sets) with
    // its role.
    std::map<std::string, SetRole> evaluationSetRoles() const;
};

} // namespace ra
