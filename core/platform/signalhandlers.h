#pragma once
// Installing a handler for a few signals for as long as an object lives, and giving each one's
// previous action back at its end. A signal the process was started ignoring stays ignored: a
// shell's background job (`radapter train … &`) ignores SIGINT so that a Ctrl-C meant for the
// foreground does not reach it, and `nohup` asks a program to outlive its terminal (SIGHUP).
// Used by the CLI's training (stop after the current step) and the Studio (close the window).
#include <vector>

#include <signal.h>

namespace ra {

class ScopedSignalHandlers {
public:
    // HANDLER must be async-signal-safe; FLAGS are sigaction's (SA_RESTART, SA_RESETHAND, ...).
    ScopedSignalHandlers(std::vector<int> signals, void (*handler)(int), int flags);
    ~ScopedSignalHandlers();
    ScopedSignalHandlers(const ScopedSignalHandlers&) = delete;
    ScopedSignalHandlers& operator=(const ScopedSignalHandlers&) = delete;

private:
    struct Previous {
        int signal;
        struct sigaction action;
    };
    std::vector<Previous> m_replaced; // only the signals whose handler is ours
};

} // namespace ra
