#include "cli/arguments.h"

#include "util/numbertext.h"

#include <algorithm>
#include <limits>
#include <sstream>

namespace ra::cli {

Arguments::Arguments(int argc, char** argv, int first, const std::vector<std::string>& flags)
{
    for (int i = first; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.rfind("--", 0) == 0 && arg.size() > 2) {
            std::string name = arg.substr(2), value;
            const auto eq = name.find('=');
            if (eq != std::string::npos) {
                value = name.substr(eq + 1);
                name = name.substr(0, eq);
            } else if (std::find(flags.begin(), flags.end(), name) != flags.end()) {
                value = "1";
            } else {
                if (i + 1 >= argc) {
                    m_missingValue = name;
                    m_options[name]; // known to allowOnly, so an unknown name is reported as unknown
                    break;
                }
                value = argv[++i];
            }
            m_options[name].push_back(value);
            m_ordered.emplace_back(name, value);
        } else {
            m_positional.push_back(arg);
        }
    }
}

std::string Arguments::value(const std::string& name, const std::string& fallback) const
{
    auto it = m_options.find(name);
    return it == m_options.end() || it->second.empty() ? fallback : it->second.back();
}

std::string Arguments::required(const std::string& name) const
{
    if (!has(name)) throw UsageError("the option --" + name + " is required.");
    const std::string v = value(name);
    if (v.empty()) throw UsageError("--" + name + " needs a value, got ''.");
    return v;
}

std::vector<std::string> Arguments::values(const std::string& name) const
{
    auto it = m_options.find(name);
    return it == m_options.end() ? std::vector<std::string>{} : it->second;
}

int64_t parseWholeNumber(const std::string& text, const std::string& what, int64_t min, int64_t max)
{
    const std::string range = " from " + std::to_string(min) + " to " + std::to_string(max);
    const auto n = wholeNumberFrom(text);
    if (!n) throw UsageError(what + " needs a whole number" + range + ", got '" + text + "'.");
    if (*n < min || *n > max) throw UsageError(what + " must be" + range + ", got " + text + ".");
    return *n;
}

int64_t parseRunId(const std::string& text, const std::string& what)
{
    return parseWholeNumber(text, what, 1, std::numeric_limits<int64_t>::max());
}

double parseNumber(const std::string& text, const std::string& what, double min, double max)
{
    std::ostringstream range;
    range << " from " << min << " to " << max;
    const auto d = finiteNumberFrom(text);
    if (!d) throw UsageError(what + " needs a finite number" + range.str() + ", got '" + text + "'.");
    if (*d < min || *d > max) throw UsageError(what + " must be" + range.str() + ", got " + text + ".");
    return *d;
}

int64_t Arguments::intValue(const std::string& name, int64_t fallback, int64_t min, int64_t max) const
{
    return has(name) ? parseWholeNumber(value(name), "--" + name, min, max) : fallback;
}

double Arguments::doubleValue(const std::string& name, double fallback, double min, double max) const
{
    return has(name) ? parseNumber(value(name), "--" + name, min, max) : fallback;
}

void Arguments::allowOnly(const std::vector<std::string>& allowed) const
{
    for (const auto& [name, v] : m_options)
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
            throw UsageError("unknown option --" + name + ".");
    if (!m_missingValue.empty()) throw UsageError("the option --" + m_missingValue + " needs a value.");
}

} // namespace ra::cli
