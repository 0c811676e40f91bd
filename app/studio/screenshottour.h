#pragma once
// `radapter-studio --screenshots DIR`: opens the demo project, trains full fine-tuning and then
// R-Adapter on it, sweeps alpha, runs the demo comparison and a small search, and saves a PNG of
// each main view (project, training curves, alpha explorer, one image of each OOD set under Your
// images, the embedding map, runs browser with both runs overlaid, demo comparison in the light and
// the dark theme, the search as parallel coordinates and its setting importance, a run stopped early, a retrieval
// run's embedding map) into DIR, then quits. Used to keep the
// README's screenshots true to the real application (run under Xvfb; about six minutes on two
// cores; it prints how long the demo comparison and the whole tour took).
#include <QElapsedTimer>
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
    void train(const QString& method, int steps, const QString& learningRate);
    // A small search, captured on the runs browser's Parallel tab; then earlyStopThenQuit.
    void searchThenQuit();
    // A run with early stopping on the training view; then retrievalMapThenQuit.
    void earlyStopThenQuit();
    // Last: a short retrieval run's embedding map (images and captions); then the program ends.
    void retrievalMapThenQuit();
    MainWindow* m_window;
    QString m_directory;
    int m_steps;
    int m_runsFinished = 0;
    int m_sweepsReady = 0;
    int m_classified = 0;
    int m_mapped = 0;
    QElapsedTimer m_tourClock, m_demoClock;
};

} // namespace ra::app
