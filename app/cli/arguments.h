#pragma once
// A small command-line parser for `radapter SUBCOMMAND [--key value | --flag | positional]...`.
// Options may repeat (--image a --image b); order among repeated options is kept.
#include <cstdint>
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
    // The value of an option the command cannot do without: a UsageError when it is missing or empty.
    std::string required(const std::string& name) const;
    // Whole numbers and finite numbers within [MIN, MAX]; anything else is a UsageError naming
    // the option, the value and the range, so a typo cannot ask for 10^9 threads or a NaN alpha.
    int64_t intValue(const std::string& name, int64_t fallback, int64_t min, int64_t max) const;
    double doubleValue(const std::string& name, double fallback, double min, double max) const;
    const std::vector<std::string>& positional() const { return m_positional; }
    // Ordered (option, value) pairs as given, for options whose relative order matters.
    const std::vector<std::pair<std::string, std::string>>& ordered() const { return m_ordered; }
    // Throws UsageError naming the first option not in ALLOWED; then, an option given last
    // without its value.
    void allowOnly(const std::vector<std::string>& allowed) const;

private:
    std::map<std::string, std::vector<std::string>> m_options;
    std::vector<std::pair<std::string, std::string>> m_ordered;
    std::vector<std::string> m_positional;
    std::string m_missingValue; // an option at the end with no value: reported by allowOnly
};

// TEXT as a whole number in [MIN, MAX], or a UsageError about WHAT ("--threads").
int64_t parseWholeNumber(const std::string& text, const std::string& what, int64_t min, int64_t max);
// TEXT as a run id (a whole number from 1), or a UsageError about WHAT ("--run").
int64_t parseRunId(const std::string& text, const std::string& what);
// TEXT as a finite number in [MIN, MAX], or a UsageError about WHAT.
double parseNumber(const std::string& text, const std::string& what, double min, double max);

// The largest thread count any option accepts: more than any machine this runs on, small
// enough that a typo cannot start thousands of threads.
constexpr int64_t kMaxThreads = 1024;
// Limits of the same kind for the other sizes a command takes.
constexpr int64_t kMaxBatch = 65536;
constexpr int64_t kMaxSteps = 100000000;
constexpr int64_t kMaxSeed = int64_t(1) << 62;
constexpr int64_t kMaxContextLength = 4096;

} // namespace ra::cli
