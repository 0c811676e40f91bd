#include "studio/stopsignals.h"

#include "platform/signalhandlers.h"

#include <QApplication>
#include <QDialog>
#include <QSocketNotifier>
#include <QWidget>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

namespace ra::app {
namespace {

// A signal handler may do next to nothing (only async-signal-safe calls): it writes the signal's
// number into a pipe, and the event loop, watching the pipe's other end, closes the window.
int g_pipe[2] = {-1, -1};

void onStopSignal(int signal)
{
    const int saved = errno; // the interrupted code may be reading errno
    const char byte = char(signal);
    [[maybe_unused]] const ssize_t written = ::write(g_pipe[1], &byte, 1);
    errno = saved;
}

// A dialog open when the signal comes (Export, a question, a file dialog) is answered "Cancel":
// else the window would close behind it and the process wait for someone to answer it. Innermost
// first, as Escape would; a dialog that refuses to go is left, and the loop ends.
void closeModalDialogs()
{
    QWidget* tried = nullptr;
    while (QWidget* modal = QApplication::activeModalWidget()) {
        if (modal == tried) return; // it did not go
        if (auto* dialog = qobject_cast<QDialog*>(modal)) dialog->reject();
        else modal->close();
        tried = modal;
    }
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
        closeModalDialogs();
        if (m_window) m_window->close();
    });
    // SA_RESETHAND: the first signal of each kind is ours, a second one (Ctrl-C again, while a
    // close waits on something) takes the default action and ends the process.
    m_handlers = std::make_unique<ScopedSignalHandlers>(std::vector<int>{SIGINT, SIGTERM, SIGHUP}, onStopSignal,
                                                        SA_RESTART | SA_RESETHAND);
}

CloseOnStopSignals::~CloseOnStopSignals()
{
    if (g_pipe[0] < 0) return;
    m_handlers.reset();
    delete m_notifier;
    ::close(g_pipe[0]);
    ::close(g_pipe[1]);
    g_pipe[0] = g_pipe[1] = -1;
}

} // namespace ra::app
