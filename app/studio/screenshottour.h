#pragma once
// `radapter-studio --screenshots DIR`: opens the demo project, trains it, sweeps alpha, and saves
// a PNG of each main view (training curves, alpha explorer, runs browser) into DIR, then quits.
// Used to keep the README's screenshots true to the real application (run under Xvfb).
#include <QObject>
#include <QString>

namespace ra::app {

class MainWindow;

class ScreenshotTour : public QObject {
    Q_OBJECT
public:
    ScreenshotTour(MainWindow* window, QString directory, int steps);
    void start();

private:
    void capture(const QString& name);
    MainWindow* m_window;
    QString m_directory;
    int m_steps;
};

} // namespace ra::app
