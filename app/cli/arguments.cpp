#include "cli/arguments.h"

#include <algorithm>

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
                if (i + 1 >= argc) throw UsageError("the option --" + name + " needs a value.");
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
    return it == m_options.end() ? fallback : it->second.back();
}

std::vector<std::string> Arguments::values(const std::string& name) const
{
    auto it = m_options.find(name);
    return it == m_options.end() ? std::vector<std::string>{} : it->second;
}

int Arguments::intValue(const std::string& name, int fallback) const
{
    if (!has(name)) return fallback;
    const std::string v = value(name);
    try {
        size_t used = 0;
        const int n = std::stoi(v, &used);
        if (used == v.size()) return n;
    } catch (const std::exception&) {
    }
    throw UsageError("the option --" + name + " needs a whole number, got '" + v + "'.");
}

double Arguments::doubleValue(const std::string& name, double fallback) const
{
    if (!has(name)) return fallback;
    const std::string v = value(name);
    try {
        size_t used = 0;
        const double d = std::stod(v, &used);
        if (used == v.size()) return d;
    } catch (const std::exception&) {
    }
    throw UsageError("the option --" + name + " needs a number, got '" + v + "'.");
}

void Arguments::allowOnly(const std::vector<std::string>& allowed) const
{
    for (const auto& [name, v] : m_options)
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
            throw UsageError("unknown option --" + name + ".");
}

} // namespace ra::cli
