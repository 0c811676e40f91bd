#pragma once
// Prompt templates for zero-shot heads and classification captions. Each template contains "{}"
// where the class name goes.
#include <string>
#include <vector>

namespace ra {

// OpenAI's 80 ImageNet prompt templates (CLIP's notebook / R-Adapter's openai_imagenet_template).
const std::vector<std::string>& openAiImageNetTemplates();
// A short set for small domains such as digits and glyphs.
const std::vector<std::string>& shortTemplates();
// One template per line; blank lines and lines starting with '#' are skipped. Throws ra::Error
// naming the file and line when a template lacks "{}" or the file cannot be read.
std::vector<std::string> readTemplatesFile(const std::string& path);
// The template with "{}" replaced by NAME (every occurrence).
std::string fillTemplate(const std::string& templ, const std::string& name);

} // namespace ra
