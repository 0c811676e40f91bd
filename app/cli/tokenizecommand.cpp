// `radapter tokenize`: CLIP's token ids. Needs the tokenizer only, never libtorch, so the radapter
// front end runs it itself (cli/engine.h).
#include "cli/arguments.h"
#include "cli/commands.h"
#include "clip/tokenizer.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <iostream>

using nlohmann::json;

namespace ra::cli {

int runTokenize(int argc, char** argv, int first)
{
    Arguments args(argc, argv, first, {});
    args.allowOnly({"context-length"});
    const int context = int(args.intValue("context-length", Tokenizer::kDefaultContextLength, 2, kMaxContextLength));
    const Tokenizer& tokenizer = Tokenizer::instance();
    if (!args.positional().empty()) {
        for (const auto& text : args.positional()) std::cout << json(tokenizer.tokenize(text, context)).dump() << "\n";
        return 0;
    }
    std::string line;
    int lineNo = 0;
    while (std::getline(std::cin, line)) {
        ++lineNo;
        if (line.empty()) continue;
        json value;
        try {
            value = json::parse(line);
        } catch (const std::exception&) {
            throw Error("standard input line " + std::to_string(lineNo) + ": not a JSON string.");
        }
        if (!value.is_string()) throw Error("standard input line " + std::to_string(lineNo) + ": not a JSON string.");
        std::cout << json(tokenizer.tokenize(value.get<std::string>(), context)).dump() << "\n";
    }
    return 0;
}

} // namespace ra::cli
