#include "cli/completion.h"

#include "cli/usage.h"
#include "config/trainconfig.h"
#include "store/runstore.h"

#include <algorithm>
#include <cctype>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace ra::cli {
namespace {

constexpr const char* kFiles = "__files__";

bool startsWith(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

// What an option of the usage text takes: nothing (a flag), a file, a run id, one of some words,
// or a value no list can give (a number, a name).
struct OptionValue {
    bool flag = true;
    bool file = false, run = false, setting = false;
    std::vector<std::string> choices;
};

// The options COMMAND's usage lines name ("--layout openai|hf", "[--json]", "--run ID"), with
// what each takes, read from the usage text, so completion never disagrees with --help.
std::map<std::string, OptionValue> commandOptions(const std::string& command)
{
    std::map<std::string, OptionValue> options;
    static const std::regex option(R"(--([a-z][a-z-]*)( [^\s\[\]]+)?)");
    for (const std::string& line : commandUsageLines(command)) {
        for (std::sregex_iterator m(line.begin(), line.end(), option), end; m != end; ++m) {
            OptionValue v;
            const std::string value = (*m)[2].matched ? (*m)[2].str().substr(1) : std::string();
            v.flag = value.empty() || startsWith(value, "--") || value == "|";
            if (!v.flag) {
                v.file = value == "FILE" || value == "PATH" || value == "DIR" || value == "DATASET";
                v.run = value == "ID" || value == "RUN_ID";
                v.setting = value == "key=value";
                // "auto|fp32|bf16": the words themselves; placeholders (upper case) are not choices.
                if (value.find('|') != std::string::npos) {
                    std::string word;
                    for (const char c : value + "|") {
                        if (c != '|') {
                            word += c;
                            continue;
                        }
                        const bool placeholder = std::any_of(word.begin(), word.end(), [](char ch) {
                            return std::isupper(static_cast<unsigned char>(ch)) || ch == ':' || ch == '[';
                        });
                        if (!word.empty() && !placeholder) v.choices.push_back(word);
                        word.clear();
                    }
                }
            }
            auto& known = options[(*m)[1].str()];
            if (known.flag) known = v; // "--seed S | --seeds" and repeated mentions: the one with a value
        }
    }
    return options;
}

// The run ids of the store the command line names (--db), else the default store; none when
// there is no store. Opened read-only: completing never changes a store.
std::vector<std::string> runIds(const std::string& db)
{
    std::vector<std::string> ids;
    try {
        const RunStore store(db.empty() ? RunStore::defaultPath() : db, RunStore::Access::ReadOnly);
        for (const RunRecord& r : store.listRuns()) ids.push_back(std::to_string(r.id));
    } catch (const std::exception&) {}
    return ids;
}

void printMatching(const std::vector<std::string>& candidates, const std::string& word)
{
    std::set<std::string> printed;
    for (const std::string& c : candidates)
        if (startsWith(c, word) && printed.insert(c).second) std::cout << c << "\n";
}

// The syntax of COMMAND's first usage line (its description cut off), split at its alternatives:
// for runs, "list [--tag T]", "show ID", "delete ID [--files]", ...; for classify, one.
std::vector<std::string> usageAlternatives(const std::string& command)
{
    std::vector<std::string> parts;
    const std::vector<std::string> lines = commandUsageLines(command);
    if (lines.empty()) return parts;
    std::string syntax = lines.front().substr(command.size());
    if (const size_t description = syntax.find("   "); description != std::string::npos) syntax.resize(description);
    if (command != "runs") return {syntax};
    for (size_t at = 0; at < syntax.size();) {
        const size_t bar = std::min(syntax.find('|', at), syntax.size());
        parts.push_back(syntax.substr(at, bar - at));
        at = bar + 1;
    }
    return parts;
}

// The positional arguments a usage fragment names, without brackets: "ID [--files]" -> {"ID"};
// "--run ID [--alpha A] [--top K] IMAGE..." -> {"IMAGE..."}; the first word of a runs
// alternative is its action.
std::vector<std::string> positionalArguments(const std::string& fragment)
{
    std::istringstream in(fragment);
    std::vector<std::string> args;
    bool optionValue = false; // the next word is the value of the option before it
    for (std::string token; in >> token;) {
        if (startsWith(token, "--") || startsWith(token, "[--")) {
            optionValue = token.back() != ']';
            continue;
        }
        if (std::exchange(optionValue, false) || token == "|") continue;
        token.erase(std::remove_if(token.begin(), token.end(), [](char c) { return c == '[' || c == ']'; }),
                    token.end());
        args.push_back(token);
    }
    return args;
}

// Candidates for the INDEX-th positional word (0: the first) of a usage fragment whose positional
// arguments are ARGS: run ids for ID, and for every further word after IDS; files for FILE or IMAGE.
void completePositional(const std::vector<std::string>& args, size_t index, const std::string& db,
                        const std::string& word)
{
    if (args.empty()) return;
    std::string arg = index < args.size() ? args[index] : args.back();
    const bool repeats = arg == "IDS" || (arg.size() > 3 && arg.compare(arg.size() - 3, 3, "...") == 0);
    if (index >= args.size() && !repeats) return;
    if (repeats && arg != "IDS") arg.resize(arg.size() - 3);
    if (arg == "ID" || arg == "IDS") printMatching(runIds(db), word);
    else if (arg == "FILE" || arg == "IMAGE") std::cout << kFiles << "\n";
}

} // namespace

int runComplete(int argc, char** argv, int first)
{
    std::vector<std::string> words(argv + first, argv + argc);
    if (words.empty()) words.emplace_back();
    const std::string word = words.back();
    const std::string previous = words.size() > 1 ? words[words.size() - 2] : std::string();
    std::string db; // the store whose run ids to offer: the global or the command's --db
    for (size_t i = 0; i + 1 < words.size(); ++i)
        if (words[i] == "--db") db = words[i + 1];

    // The global options come before the command.
    size_t at = 0;
    while (at + 1 < words.size() && startsWith(words[at], "-")) at += isGlobalOption(words[at]) ? 2 : 1;
    if (at + 1 >= words.size()) { // completing the command, or a global option or its value
        if (previous == "--db") {
            std::cout << kFiles << "\n";
            return 0;
        }
        if (previous == "--device") {
            printMatching({"cpu", "cuda"}, word);
            return 0;
        }
        if (previous == "--threads") return 0;
        if (startsWith(word, "-")) {
            std::vector<std::string> options(std::begin(kGlobalOptions), std::end(kGlobalOptions));
            options.insert(options.end(), {"--help", "--version"});
            printMatching(options, word);
            return 0;
        }
        std::vector<std::string> commands(std::begin(kCommands), std::end(kCommands));
        commands.insert(commands.end(), {"help", "version"});
        printMatching(commands, word);
        return 0;
    }
    const std::string command = words[at];
    auto options = commandOptions(command);
    // The commands that keep runs also take the global --db after their name.
    OptionValue store;
    store.flag = false;
    store.file = true;
    options.emplace("db", store);

    // The value of an option.
    if (startsWith(previous, "--")) {
        const auto o = options.find(previous.substr(2));
        if (o != options.end() && !o->second.flag) {
            const OptionValue& v = o->second;
            if (v.file) std::cout << kFiles << "\n";
            else if (v.run) printMatching(runIds(db), word);
            else if (v.setting) {
                std::vector<std::string> keys;
                for (const auto& [key, help] : settingHelp()) keys.push_back(key + "=");
                printMatching(keys, word);
            } else printMatching(v.choices, word);
            return 0;
        }
    }
    if (startsWith(word, "-")) {
        std::vector<std::string> names{"--help"};
        for (const auto& [name, value] : options)
            if (name != "db") names.push_back("--" + name);
        printMatching(names, word);
        return 0;
    }
    // Positional words, as the usage names them: a runs action and its run ids or file; classify's images.
    std::vector<std::string> positional;
    for (size_t i = at + 1; i + 1 < words.size(); ++i) {
        if (startsWith(words[i], "--")) {
            const auto o = options.find(words[i].substr(2));
            if (o != options.end() && !o->second.flag) ++i; // its value
            continue;
        }
        positional.push_back(words[i]);
    }
    if (command != "runs") {
        completePositional(positionalArguments(usageAlternatives(command).front()), positional.size(), db, word);
        return 0;
    }
    std::vector<std::string> actions;
    for (const std::string& alternative : usageAlternatives("runs")) {
        std::string action;
        std::istringstream(alternative) >> action;
        // An action's own alternative, not a piece of one cut at an option's "json|csv]".
        if (!std::regex_match(action, std::regex("[a-z][a-z-]*"))) continue;
        const std::vector<std::string> words = positionalArguments(alternative);
        if (positional.empty()) actions.push_back(words.front());
        else if (words.front() == positional.front())
            completePositional({words.begin() + 1, words.end()}, positional.size() - 1, db, word);
    }
    printMatching(actions, word);
    return 0;
}

} // namespace ra::cli
