#pragma once
// A small learnable classification world for engine tests: coloured squares on white (ID) and on
// grey (OOD), 32 x 32, written as PPM files, with a project over the golden reference model.
#include "project/project.h"
#include "testutil.h"

#include <QDir>
#include <QTemporaryDir>

#include <fstream>
#include <random>
#include <tuple>
#include <vector>

namespace ra::test {

inline void writeSquare(const QString& path, uint8_t r, uint8_t g, uint8_t b, int bg, std::mt19937& rng)
{
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << "P6\n32 32\n255\n";
    const int x0 = int(rng() % 16), y0 = int(rng() % 16), s = 8 + int(rng() % 8);
    for (int y = 0; y < 32; ++y)
        for (int x = 0; x < 32; ++x) {
            const bool in = x >= x0 && x < x0 + s && y >= y0 && y < y0 + s;
            out.put(char(in ? r : bg)).put(char(in ? g : bg)).put(char(in ? b : bg));
        }
}

// Writes the world under ROOT and returns the path of its project file.
inline QString makeColourWorld(const QString& root, int trainPerClass = 24)
{
    std::mt19937 rng(7);
    const struct {
        const char* name;
        uint8_t r, g, b;
    } colours[] = {{"red", 220, 30, 30}, {"green", 30, 200, 30}, {"blue", 30, 30, 220}};
    for (const auto& [split, n, bg] : std::initializer_list<std::tuple<const char*, int, int>>{
             {"train", trainPerClass, 255}, {"val", 8, 255}, {"ood", 8, 128}})
        for (const auto& c : colours) {
            const QString dir = root + "/" + split + "/" + c.name;
            QDir().mkpath(dir);
            for (int i = 0; i < n; ++i) writeSquare(dir + QString("/%1.ppm").arg(i), c.r, c.g, c.b, bg, rng);
        }
    const QString project = root + "/colours.json";
    std::ofstream out(project.toStdString());
    out << R"({"format": "radapter-project", "version": 1, "name": "colours", "task": "classification",
      "model": ")"
        << goldenPath("clip-ref/openai_layout.safetensors") << R"(",
      "data": {"train": "train", "val": "val"}, "ood": {"grey": "ood"}, "templates": "short",
      "method": "radapter",
      "hyperparameters": {"steps": 40, "batch": 12, "lr": 0.01, "ema": 0.9, "eval_every": 20, "threads": 2}})";
    return project;
}

// Caption CSVs over the colour world (two captions per image) and two retrieval projects:
// retrieval.json (R-Adapter) and bad-retrieval.json (a classification-only method).
inline void writeColourCaptions(const QString& dir)
{
    for (const char* split : {"train", "val"}) {
        std::ofstream csv((dir + "/" + split + ".csv").toStdString());
        csv << "path,caption\n";
        for (const char* colour : {"red", "green", "blue"})
            for (int i = 0; i < (std::string(split) == "train" ? 12 : 4); ++i) {
                csv << split << "/" << colour << "/" << i << ".ppm,a " << colour << " square.\n";
                csv << split << "/" << colour << "/" << i << ".ppm,\"a square, " << colour << "\"\n";
            }
    }
    const std::string model = goldenPath("clip-ref/openai_layout.safetensors");
    std::ofstream((dir + "/retrieval.json").toStdString())
        << R"({"format": "radapter-project", "version": 1, "task": "retrieval", "model": ")" << model
        << R"(", "data": {"train": "train.csv", "val": "val.csv"}, "method": "radapter",
              "hyperparameters": {"steps": 20, "batch": 12, "lr": 0.01, "eval_every": 0}})";
    std::ofstream((dir + "/bad-retrieval.json").toStdString())
        << R"({"format": "radapter-project", "version": 1, "task": "retrieval", "model": ")" << model
        << R"(", "data": {"train": "train.csv"}, "method": "finetune"})";
}

// Bad project files and the words their error must contain (kept out of the moc'ed test file:
// moc's tokenizer trips over raw strings).
inline std::vector<std::tuple<std::string, std::string, std::string>> badProjectCases()
{
    const std::string model = goldenPath("clip-ref/openai_layout.safetensors");
    const std::string head = R"({"format": "radapter-project", "version": 1, "model": ")" + model +
        R"(", "data": {"train": "train"})";
    return {
        {"not json", "{oops", "not valid JSON"},
        {"not a project", R"({"name": "x"})", "not an R-Adapter Studio project"},
        {"newer version", R"({"format": "radapter-project", "version": 99})", "newer than this program"},
        {"no model", R"({"format": "radapter-project", "version": 1, "data": {"train": "train"}})",
         "\"model\" is missing"},
        {"missing model file",
         R"({"format": "radapter-project", "version": 1, "model": "nope.safetensors", "data": {"train": "train"}})",
         "does not exist"},
        {"no data", R"({"format": "radapter-project", "version": 1, "model": ")" + model + "\"}", "\"data\""},
        {"missing dataset",
         R"({"format": "radapter-project", "version": 1, "model": ")" + model + R"(", "data": {"train": "nowhere"}})",
         "training set 'nowhere' does not exist"},
        {"bad ood", head + R"(, "ood": {"x": 3}})", "OOD set 'x'"},
        {"two-line ood name", head + R"(, "ood": {"sketch\nsmall": "train"}})",
         "an OOD set's name is one line of text, without tabs or other control characters (\"sketch?small\")"},
        {"unknown task", head + R"(, "task": "segmentation"})", "unknown task"},
        {"unknown method", head + R"(, "method": "magic"})", "unknown method"},
        {"unknown setting", head + R"(, "hyperparameters": {"speed": 3}})", "unknown setting 'speed'"},
        {"bad value", head + R"(, "hyperparameters": {"p": 1.5}})", "setting p"},
        {"wrong type", head + R"(, "hyperparameters": {"lr": [1]}})", "hyper-parameter lr"},
        {"bad template", head + R"(, "templates": ["no placeholder"]})", "placeholder"},
        {"contradiction", head + R"(, "hyperparameters": {"crop_min": 0.9, "crop_max": 0.5}})", "crop_min"},
    };
}

} // namespace ra::test
