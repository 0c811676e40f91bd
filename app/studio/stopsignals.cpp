#include "studio/stopsignals.h"

#include <QSocketNotifier>
#include <QWidget>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <iterator>
#include <stdexcept>
#include <utility>
#include <unistd.h>

namespace ra::app {
namespace {

// A signal handler may do next to nothing (only async-signal-safe calls): it writes the signal's
// number into a pipe, and the event loop, watching the pipe's other end, closes the window.
int g_pipe[2] = {-1, -1};
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
constexpr size_t kCount = std::size(kSignals);
struct sigaction g_before[kCount]; // each signal's action before ours, given back at the end
bool g_ours[kCount] = {};

void onStopSignal(int signal)
{
    const int saved = errno; // the interrupted code may be reading errno
    const char byte = char(signal);
    [[maybe_unused]] const ssize_t written = ::write(g_pipe[1], &byte, 1);
    errno = saved;
}

} // namespace

CloseOnStopSignals::CloseOnStopSignals(QWidget* window, QObject* parent) : QObject(parent), m_window(window)
{
    if (g_pipe[0] >= 0) throw std::logic_error("CloseOnStopSignals: one at a time");
    if (::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return; // no pipe: signals end the process as before
    m_notifier = new QSocketNotifier(g_pipe[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        char byte;
        while (::read(g_pipe[0], &byte, 1) == 1) ++m_received;
        if (m_window) m_window->close();
    });
    struct sigaction action = {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    // SA_RESETHAND: the first signal of each kind is ours, a second one (Ctrl-C again, while a
    // close waits on something) takes the default action and ends the process.
    action.sa_flags = SA_RESTART | SA_RESETHAND;
    for (size_t i = 0; i < kCount; ++i) {
        // A signal the Studio was started ignoring stays ignored: `nohup radapter-studio` is
        // asked to outlive its terminal (SIGHUP), and a shell's background job ignores SIGINT.
        sigaction(kSignals[i], nullptr, &g_before[i]);
        g_ours[i] = g_before[i].sa_handler != SIG_IGN;
        if (g_ours[i]) sigaction(kSignals[i], &action, nullptr);
    }
}

CloseOnStopSignals::~CloseOnStopSignals()
{
    if (g_pipe[0] < 0) return;
    for (size_t i = 0; i < kCount; ++i)
        if (std::exchange(g_ours[i], false)) sigaction(kSignals[i], &g_before[i], nullptr);
    delete m_notifier;
    ::close(g_pipe[0]);
    ::close(g_pipe[1]);
    g_pipe[0] = g_pipe[1] = -1;
}

} // namespace ra::app
