#include "data/templates.h"

#include "io/inputfile.h"
#include "util/error.h"

#include <fstream>

namespace ra {

const std::vector<std::string>& openAiImageNetTemplates()
{
    static const std::vector<std::string> templates = {"a bad photo of a {}.",
                                                       "a photo of many {}.",
                                                       "a sculpture of a {}.",
                                                       "a photo of the hard to see {}.",
                                                       "a low resolution photo of the {}.",
                                                       "a rendering of a {}.",
                                                       "graffiti of a {}.",
                                                       "a bad photo of the {}.",
                                                       "a cropped photo of the {}.",
                                                       "a tattoo of a {}.",
                                                       "the embroidered {}.",
                                                       "a photo of a hard to see {}.",
                                                       "a bright photo of a {}.",
                                                       "a photo of a clean {}.",
                                                       "a photo of a dirty {}.",
                                                       "a dark photo of the {}.",
                                                       "a drawing of a {}.",
                                                       "a photo of my {}.",
                                                       "the plastic {}.",
                                                       "a photo of the cool {}.",
                                                       "a close-up photo of a {}.",
                                                       "a black and white photo of the {}.",
                                                       "a painting of the {}.",
                                                       "a painting of a {}.",
                                                       "a pixelated photo of the {}.",
                                                       "a sculpture of the {}.",
                                                       "a bright photo of the {}.",
                                                       "a cropped photo of a {}.",
                                                       "a plastic {}.",
                                                       "a photo of the dirty {}.",
                                                       "a jpeg corrupted photo of a {}.",
                                                       "a blurry photo of the {}.",
                                                       "a photo of the {}.",
                                                       "a good photo of the {}.",
                                                       "a rendering of the {}.",
                                                       "a {} in a video game.",
                                                       "a photo of one {}.",
                                                       "a doodle of a {}.",
                                                       "a close-up photo of the {}.",
                                                       "a photo of a {}.",
                                                       "the origami {}.",
                                                       "the {} in a video game.",
                                                       "a sketch of a {}.",
                                                       "a doodle of the {}.",
                                                       "a origami {}.",
                                                       "a low resolution photo of a {}.",
                                                       "the toy {}.",
                                                       "a rendition of the {}.",
                                                       "a photo of the clean {}.",
                                                       "a photo of a large {}.",
                                                       "a rendition of a {}.",
                                                       "a photo of a nice {}.",
                                                       "a photo of a weird {}.",
                                                       "a blurry photo of a {}.",
                                                       "a cartoon {}.",
                                                       "art of a {}.",
                                                       "a sketch of the {}.",
                                                       "a embroidered {}.",
                                                       "a pixelated photo of a {}.",
                                                       "itap of the {}.",
                                                       "a jpeg corrupted photo of the {}.",
                                                       "a good photo of a {}.",
                                                       "a plushie {}.",
                                                       "a photo of the nice {}.",
                                                       "a photo of the small {}.",
                                                       "a photo of the weird {}.",
                                                       "the cartoon {}.",
                                                       "art of the {}.",
                                                       "a drawing of the {}.",
                                                       "a photo of the large {}.",
                                                       "a black and white photo of a {}.",
                                                       "the plushie {}.",
                                                       "a dark photo of a {}.",
                                                       "itap of a {}.",
                                                       "graffiti of the {}.",
                                                       "a toy {}.",
                                                       "itap of my {}.",
                                                       "a photo of a cool {}.",
                                                       "a photo of a small {}.",
                                                       "a tattoo of the {}."};
    return templates;
}

const std::vector<std::string>& shortTemplates()
{
    static const std::vector<std::string> templates = {"a photo of a {}.", "a picture of the {}.", "an image of a {}.",
                                                       "a drawing of a {}.", "a {}."};
    return templates;
}

std::vector<std::string> readTemplatesFile(const std::string& path)
{
    std::ifstream in = openInputFile(path, "templates file");
    std::vector<std::string> out;
    std::string line;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        if (line.find("{}") == std::string::npos)
            throw Error(path + ": line " + std::to_string(lineNo) + " has no \"{}\" placeholder for the class name.");
        out.push_back(line);
    }
    if (out.empty()) throw Error(path + ": the templates file has no templates.");
    return out;
}

std::string fillTemplate(const std::string& templ, const std::string& name)
{
    std::string out = templ;
    size_t pos = 0;
    while ((pos = out.find("{}", pos)) != std::string::npos) {
        out.replace(pos, 2, name);
        pos += name.size();
    }
    return out;
}

} // namespace ra
