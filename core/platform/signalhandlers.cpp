#include "platform/signalhandlers.h"

namespace ra {

ScopedSignalHandlers::ScopedSignalHandlers(std::vector<int> signals, void (*handler)(int), int flags)
{
    struct sigaction ours = {};
    ours.sa_handler = handler;
    sigemptyset(&ours.sa_mask);
    ours.sa_flags = flags;
    for (const int signal : signals) {
        Previous previous{signal, {}};
        if (sigaction(signal, nullptr, &previous.action) != 0) continue;
        if (previous.action.sa_handler == SIG_IGN) continue;
        if (sigaction(signal, &ours, nullptr) == 0) m_replaced.push_back(previous);
    }
}

ScopedSignalHandlers::~ScopedSignalHandlers()
{
    for (const Previous& previous : m_replaced) sigaction(previous.signal, &previous.action, nullptr);
}

} // namespace ra
