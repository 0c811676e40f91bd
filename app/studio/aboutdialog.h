#pragma once
// Help ▸ About: the version, the licences, and this machine — its one-line summary and the whole
// `radapter info --system` report (CPU features, libraries, threads, the kernels chosen) in a
// scrolling box with a button that copies it, for bug reports. A message box grew taller than the
// screen with that report, its button out of reach.
#include <QDialog>

class QPlainTextEdit;
class QPushButton;

namespace ra::app {

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(QWidget* parent = nullptr);
    QPlainTextEdit* report() const { return m_report; }
    QPushButton* copyButton() const { return m_copy; }

private:
    QPlainTextEdit* m_report;
    QPushButton* m_copy;
};

} // namespace ra::app
