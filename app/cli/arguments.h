#pragma once
// A small command-line parser for `radapter SUBCOMMAND [--key value | --flag | positional]...`.
// Options may repeat (--image a --image b); order among repeated options is kept.
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace ra::cli {

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Arguments {
public:
    // FLAGS are options that take no value (e.g. "--json").
    Arguments(int argc, char** argv, int first, const std::vector<std::string>& flags);

    bool has(const std::string& name) const { return m_options.count(name) != 0; }
    std::string value(const std::string& name, const std::string& fallback = {}) const;
    std::vector<std::string> values(const std::string& name) const;
    int intValue(const std::string& name, int fallback) const;
    double doubleValue(const std::string& name, double fallback) const;
    const std::vector<std::string>& positional() const { return m_positional; }
    // Ordered (option, value) pairs as given, for options whose relative order matters.
    const std::vector<std::pair<std::string, std::string>>& ordered() const { return m_ordered; }
    // Throws UsageError naming the first option not in ALLOWED.
    void allowOnly(const std::vector<std::string>& allowed) const;

private:
    std::map<std::string, std::vector<std::string>> m_options;
    std::vector<std::pair<std::string, std::string>> m_ordered;
    std::vector<std::string> m_positional;
};

} // namespace ra::cli
