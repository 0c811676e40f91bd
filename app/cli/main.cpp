// The main() of radapter and radapter-engine, the command-line interface over R-Adapter Studio's
// core (cli/engine.h): the global options, help, version and the commands that need no libtorch,
// then runEngineCommand for the rest. Results go to standard output; errors go to standard error
// as one sentence with a non-zero exit status.
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/completion.h"
#include "cli/engine.h"
#include "cli/usage.h"
#include "util/error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

namespace {

int runCommandLine(int argc, char** argv)
{
    using namespace ra::cli;
    if (argc > 1 && std::strcmp(argv[1], "__complete") == 0) { // for the shell, before any checking
        try {
            return runComplete(argc, argv, 2);
        } catch (const std::exception&) {
            return 0; // no candidates; never a message in the middle of the user's command line
        }
    }
    int first = 1;
    int threads = -1; // not given
    std::string device = "cpu";
    try {
        // Global options come before the command.
        while (first < argc && std::strncmp(argv[first], "--", 2) == 0) {
            const std::string opt = argv[first];
            if (opt == "--help" || opt == "-h") {
                std::cout << kUsage;
                return 0;
            }
            if (opt == "--version") {
                std::cout << "radapter " << RA_VERSION << "\n";
                return 0;
            }
            if (!isGlobalOption(opt)) {
                std::cerr << "radapter: unknown option " << opt << ".\n" << kUsage;
                return 2;
            }
            if (first + 1 >= argc) {
                std::cerr << "radapter: the option " << opt << " needs a value.\n";
                return 2;
            }
            const std::string value = argv[first + 1];
            if (opt == "--threads") threads = int(parseWholeNumber(value, "--threads", 0, kMaxThreads));
            else if (opt == "--device") device = value;
            else setDatabaseOption(value);
            first += 2;
        }
    } catch (const UsageError& e) {
        std::cerr << "radapter: " << e.what() << "\n";
        return 2;
    }
    if (device != "cpu" && device.rfind("cuda", 0) != 0) {
        std::cerr << "radapter: --device must be cpu or cuda, got '" << device << "'.\n";
        return 2;
    }
    if (first >= argc) {
        std::cerr << kUsage;
        return 2;
    }
    const std::string command = argv[first];
    for (int i = first + 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            if (printCommandHelp(command)) return 0;
            std::cerr << "radapter: unknown command '" << command << "'.\n" << kUsage;
            return 2;
        }
    }
    if (command == "help") {
        std::cout << kUsage;
        return 0;
    }
    if (command == "version") {
        std::cout << "radapter " << RA_VERSION << "\n";
        return 0;
    }
    if (!isCommand(command)) {
        std::cerr << "radapter: unknown command '" << command << "'.\n" << kUsage;
        return 2;
    }
    try {
        // Commands that compute nothing run here, without libtorch (cli/engine.h); on a GPU they
        // go to the engine too, which says whether this build can use one.
        if (device == "cpu" && command == "tokenize") return runTokenize(argc, argv, first + 1);
        if (device == "cpu" && command == "runs") return runRuns(argc, argv, first + 1);
        return runEngineCommand(argc, argv, first, threads, device);
    } catch (const UsageError& e) {
        std::cerr << "radapter " << command << ": " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        // One sentence: library errors (libtorch's carry a backtrace) are cut at the first line.
        std::cerr << "radapter " << command << ": " << ra::userMessage(e) << "\n";
        return 1;
    }
}

} // namespace

int main(int argc, char** argv)
{
    const int status = runCommandLine(argc, argv);
    // Results go to standard output, often redirected into a file (`runs export > runs.csv`). A
    // full disk shows only when the buffer is flushed; unchecked, the command would end with
    // status 0 and a cut-off file.
    errno = 0;
    std::cout.flush(); // flushes stdout, which std::cout writes through
    const bool flushed = std::fflush(stdout) == 0;
    const int error = errno;
    if (!flushed || std::ferror(stdout) || !std::cout) {
        std::cerr << "radapter: cannot write the output"
                  << (error ? std::string(" (") + std::strerror(error) + ")" : std::string()) << ".\n";
        return status == 0 ? 1 : status;
    }
    return status;
}
