#pragma once
// Ctrl-C in the terminal that started the Studio, `kill`, a session ending: SIGINT, SIGTERM and
// SIGHUP answer an open dialog "Cancel" and close the window as its close button does — a run in
// training stops at the next step with a checkpoint (interrupted, resumable), the window's layout
// is saved — instead of ending the process where it stands, which loses every step since the last
// periodic checkpoint. A second signal of the same kind while it closes ends the process at once,
// as without this. A signal the process was started ignoring (SIGHUP under nohup) stays ignored.
#include <QObject>
#include <QPointer>

#include <memory>

class QSocketNotifier;
class QWidget;

namespace ra {
class ScopedSignalHandlers;
}

namespace ra::app {

class CloseOnStopSignals : public QObject {
    Q_OBJECT
public:
    // One at a time in a process (the handlers are process-wide); WINDOW may be deleted before.
    explicit CloseOnStopSignals(QWidget* window, QObject* parent = nullptr);
    ~CloseOnStopSignals() override;             // the previous handlers back
    int received() const { return m_received; } // signals turned into a close (tests)

private:
    QPointer<QWidget> m_window;
    QSocketNotifier* m_notifier = nullptr;
    std::unique_ptr<ScopedSignalHandlers> m_handlers;
    int m_received = 0;
};

} // namespace ra::app
