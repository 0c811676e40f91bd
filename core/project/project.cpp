#include "project/project.h"

#include "data/templates.h"
#include "io/atomicfile.h"
#include "io/inputfile.h"
#include "io/lockedfiles.h"
#include "util/error.h"
#include "util/labeltext.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <set>
#include <fstream>

namespace fs = std::filesystem;
using nlohmann::json;

namespace ra {
namespace {

std::string settingText(const json& v)
{
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number_unsigned()) return std::to_string(v.get<unsigned long long>());
    if (v.is_number_integer()) return std::to_string(v.get<long long>());
    if (v.is_number()) {
        std::ostringstream s;
        s.precision(17);
        s << v.get<double>();
        return s.str();
    }
    throw Error("is neither a number, a string nor true/false");
}

json toJson(const Project& p, const fs::path& base)
{
    auto rel = [&](const std::string& path) -> std::string {
        if (path.empty() || base.empty()) return path;
        return fs::path(path).lexically_relative(base).generic_string();
    };
    json data = {{"train", rel(p.train)}};
    if (!p.val.empty()) data["val"] = rel(p.val);
    if (!p.test.empty()) data["test"] = rel(p.test);
    json ood = json::object();
    for (const auto& [n, path] : p.ood) ood[n] = rel(path);
    json hp = json::object();
    const TrainConfig defaults;
    const auto mine = p.config.toParams(), theirs = defaults.toParams();
    for (const auto& [k, v] : mine)
        if (k != "method" && theirs.at(k) != v) hp[k] = v;
    json j = {{"format", "radapter-project"},
              {"version", Project::kVersion},
              {"name", p.name},
              {"task", p.task},
              {"model", rel(p.model)},
              {"data", data},
              {"ood", ood},
              {"method", methodName(p.config.method)},
              {"hyperparameters", hp}};
    if (!p.classNames.empty()) j["classnames"] = p.classNames;
    if (p.templatesSpec == "inline") j["templates"] = p.templates;
    else if (p.templatesSpec == "openai" || p.templatesSpec == "short") j["templates"] = p.templatesSpec;
    else j["templates"] = rel(p.templatesSpec);
    return j;
}

Project fromJson(const json& j, const fs::path& base, const std::string& source, bool checkPaths)
{
    auto fail = [&](const std::string& what) -> Error { return Error(source + ": " + what); };
    if (!j.is_object()) throw fail("the project is not a JSON object.");
    if (j.value("format", std::string()) != "radapter-project")
        throw fail("not an R-Adapter Studio project (\"format\" is not \"radapter-project\").");
    if (!j.contains("version")) throw fail("\"version\" is missing.");
    if (!j["version"].is_number_integer())
        throw fail("\"version\" must be a whole number, got " + j["version"].dump().substr(0, 40) + ".");
    const int version = j["version"].get<int>();
    if (version > Project::kVersion)
        throw fail("project version " + std::to_string(version) + " is newer than this program understands (" +
                   std::to_string(Project::kVersion) + ").");
    if (version < 1) throw fail("project version " + std::to_string(version) + " is not valid.");
    Project p;
    auto str = [&](const json& obj, const char* key, bool required) -> std::string {
        if (!obj.contains(key)) {
            if (required) throw fail(std::string("\"") + key + "\" is missing.");
            return {};
        }
        if (!obj[key].is_string() || obj[key].get<std::string>().empty())
            throw fail(std::string("\"") + key + "\" must be a non-empty string.");
        return obj[key].get<std::string>();
    };
    auto resolve = [&](const std::string& rel, const std::string& what) -> std::string {
        if (rel.empty()) return rel;
        fs::path path(rel);
        if (path.is_relative()) path = base / path;
        path = path.lexically_normal();
        std::error_code ec;
        if (checkPaths && !fs::exists(path, ec))
            throw fail(what + " '" + rel + "' does not exist (" + path.string() + ").");
        return path.string();
    };
    p.name = j.value("name", std::string("Untitled"));
    p.task = j.value("task", std::string("classification"));
    if (p.task != "classification" && p.task != "retrieval")
        throw fail("unknown task '" + p.task + "' (classification or retrieval).");
    p.config.retrievalTask = p.task == "retrieval";
    p.model = resolve(str(j, "model", true), "the model");
    if (p.model.empty()) throw fail("\"model\" is empty.");
    if (!j.contains("data") || !j["data"].is_object())
        throw fail("\"data\" must be an object with \"train\" (and optionally \"val\", \"test\").");
    const json& data = j["data"];
    p.train = resolve(str(data, "train", true), "the training set");
    p.val = resolve(str(data, "val", false), "the validation set");
    p.test = resolve(str(data, "test", false), "the test set");
    if (j.contains("ood")) {
        if (!j["ood"].is_object()) throw fail("\"ood\" must be an object of name: path.");
        for (auto it = j["ood"].begin(); it != j["ood"].end(); ++it) {
            if (!it.value().is_string()) throw fail("OOD set '" + it.key() + "' must be a path string.");
            // The name is shown in one-line places: the runs list, CSV exports, legends. (A run's
            // snapshot is read as it was recorded.)
            if (const std::string problem = labelProblem(it.key(), "an OOD set's name");
                checkPaths && !problem.empty()) {
                std::string shown = it.key().substr(0, 40); // itself one line in the message
                for (char& c : shown)
                    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
                throw fail(problem + " (\"" + shown + "\").");
            }
            p.ood.emplace_back(it.key(), resolve(it.value().get<std::string>(), "the OOD set '" + it.key() + "'"));
        }
    }
    if (j.contains("classnames")) {
        const json& c = j["classnames"];
        if (c.is_array()) {
            for (const auto& n : c) {
                if (!n.is_string()) throw fail("\"classnames\" must contain strings.");
                p.classNames.push_back(n.get<std::string>());
            }
        } else if (c.is_string()) {
            const std::string file = resolve(c.get<std::string>(), "the class names file");
            std::error_code ec;
            if (checkPaths || fs::exists(file, ec)) {
                std::ifstream in = openInputFile(file, "class names file");
                std::string line;
                while (std::getline(in, line))
                    if (!line.empty()) p.classNames.push_back(line);
            }
        } else {
            throw fail("\"classnames\" must be a list or a file name.");
        }
        // Zero-shot heads are built from the names: an empty or repeated name gives two classes
        // one text embedding, which no training can tell apart.
        std::set<std::string> seen;
        for (const auto& n : p.classNames) {
            if (n.find_first_not_of(" \t") == std::string::npos) throw fail("\"classnames\" has an empty name.");
            if (!seen.insert(n).second) throw fail("\"classnames\" names '" + n + "' twice.");
        }
    }
    const json t = j.value("templates", json("openai"));
    if (t.is_string() && (t == "openai" || t == "short")) {
        p.templatesSpec = t.get<std::string>();
        p.templates = p.templatesSpec == "openai" ? openAiImageNetTemplates() : shortTemplates();
    } else if (t.is_string()) {
        if (t.get<std::string>().empty())
            throw fail("\"templates\" is empty (give \"openai\", \"short\", a file or a list).");
        p.templatesSpec = resolve(t.get<std::string>(), "the templates file");
        p.templates = checkPaths || fs::exists(p.templatesSpec) ? readTemplatesFile(p.templatesSpec)
                                                                : std::vector<std::string>{};
    } else if (t.is_array() && !t.empty()) {
        p.templatesSpec = "inline";
        for (const auto& s : t) {
            if (!s.is_string() || s.get<std::string>().find("{}") == std::string::npos)
                throw fail("every template must be a string with a \"{}\" placeholder.");
            p.templates.push_back(s.get<std::string>());
        }
    } else {
        throw fail("\"templates\" must be \"openai\", \"short\", a file name or a list of templates.");
    }
    try {
        if (j.contains("method")) {
            if (!j["method"].is_string()) throw Error("\"method\" must be a string.");
            p.config.method = methodFromName(j["method"].get<std::string>());
        }
        if (j.contains("hyperparameters")) {
            if (!j["hyperparameters"].is_object()) throw Error("\"hyperparameters\" must be an object.");
            for (auto it = j["hyperparameters"].begin(); it != j["hyperparameters"].end(); ++it) {
                std::string value;
                try {
                    value = settingText(it.value());
                } catch (const Error& e) {
                    throw Error("hyper-parameter " + it.key() + " " + e.what() + ".");
                }
                p.config.applySetting(it.key(), value);
            }
        }
        p.config.validate();
        const Method m = p.config.method;
        if (p.task == "retrieval" && m != Method::ZeroShot && m != Method::RAdapter && m != Method::Lora)
            throw Error(std::string("method ") + methodName(m) +
                        " needs class labels; retrieval projects use zeroshot, radapter or lora.");
    } catch (const Error& e) {
        throw fail(e.what());
    }
    return p;
}

} // namespace

Project Project::load(const std::string& path)
{
    std::ifstream in = openInputFile(path, "project file");
    json j;
    try {
        j = json::parse(in);
    } catch (const json::exception& e) { // parse errors, and numbers out of range such as 1e400
        throw Error(path + ": not valid JSON (" + std::string(e.what()).substr(std::string(e.what()).find(']') + 2) +
                    ").");
    }
    const fs::path abs = fs::absolute(path).lexically_normal();
    Project p;
    try {
        p = fromJson(j, abs.parent_path(), path, true);
    } catch (const json::exception&) {
        throw Error(path + ": a field has the wrong type.");
    }
    p.path = abs.string();
    return p;
}

void Project::checkSaveTarget(const std::string& path)
{
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (!fs::exists(status)) return;
    if (fs::is_directory(status)) throw Error(path + ": is a folder; a project is saved as a file.");
    if (!fs::is_regular_file(status)) throw Error(path + ": is not a regular file; a project is saved as a file.");
    // Never opened to look when this process has it open: the close would drop its locks.
    if (isLockedByThisProcess(path))
        throw Error(path +
                    ": is a run store this program has open; a project replaces only another project, so "
                    "nothing was written.");
    std::ifstream in(path, std::ios::binary);
    std::string head(16, '\0');
    in.read(head.data(), std::streamsize(head.size()));
    head.resize(size_t(in.gcount()));
    if (head.empty()) return;
    std::string what = "not a project file";
    if (head == std::string("SQLite format 3\0", 16)) {
        what = "an SQLite database (a run store?)";
    } else if (fs::file_size(path, ec) < (64u << 20)) { // a project is a few kB
        in.clear();                                     // a file shorter than the head read above ended the stream
        in.seekg(0);
        try {
            const json j = json::parse(in);
            if (j.is_object() && j.value("format", std::string()) == "radapter-project") return;
        } catch (const json::exception&) {}
    }
    throw Error(path + ": is " + what + "; a project replaces only another project, so nothing was written.");
}

void Project::save(const std::string& target) const
{
    checkSaveTarget(target);
    const fs::path abs = fs::absolute(target).lexically_normal();
    writeFileAtomically(abs.string(), toJson(*this, abs.parent_path()).dump(2) + "\n", "the project file");
}

std::string Project::snapshot() const { return toJson(*this, {}).dump(); }

Project Project::fromSnapshot(const std::string& text)
{
    try {
        return fromJson(json::parse(text), fs::path("/"), "run snapshot", false);
    } catch (const json::exception&) {
        throw Error("run snapshot: the stored project is damaged.");
    }
}

std::map<std::string, SetRole> Project::evaluationSetRoles() const
{
    std::map<std::string, SetRole> roles;
    if (!val.empty()) roles["val"] = roleOfSet("val");
    if (!test.empty()) roles["test"] = roleOfSet("test");
    for (const auto& [name, path] : ood) roles[name] = roleOfSet(name);
    return roles;
}

} // namespace ra
