#include "studio/screenshottour.h"

#include "hyperparameterform.h"
#include "studio/alphaexplorer.h"
#include "studio/mainwindow.h"
#include "studio/runsbrowser.h"

#include <QApplication>
#include <QDir>
#include <QSlider>
#include <QTabWidget>
#include <QTimer>

namespace ra::app {

ScreenshotTour::ScreenshotTour(MainWindow* window, QString directory, int steps)
    : QObject(window), m_window(window), m_directory(std::move(directory)), m_steps(steps)
{
}

void ScreenshotTour::capture(const QString& name)
{
    QApplication::processEvents();
    m_window->grab().save(m_directory + QLatin1Char('/') + name + QStringLiteral(".png"));
}

void ScreenshotTour::start()
{
    QDir().mkpath(m_directory);
    connect(m_window, &MainWindow::projectOpened, this, [this] {
        m_window->hyperParameters()->setValue(QStringLiteral("steps"), QString::number(m_steps));
        QTimer::singleShot(1500, this, [this] {
            capture(QStringLiteral("project"));
            m_window->startTraining();
        });
    }, Qt::SingleShotConnection);
    connect(m_window->worker(), &TrainingWorker::trainingFinished, this, [this] {
        QTimer::singleShot(500, this, [this] { capture(QStringLiteral("training")); });
    });
    connect(m_window->worker(), &TrainingWorker::sweepReady, this, [this] {
        m_window->tabs()->setCurrentIndex(1);
        m_window->alphaExplorer()->slider()->setValue(5);
        QTimer::singleShot(6000, this, [this] {
            capture(QStringLiteral("alpha-explorer"));
            m_window->tabs()->setCurrentIndex(2);
            m_window->runsBrowser()->refresh();
            m_window->runsBrowser()->selectRuns(m_window->runsBrowser()->selectedRuns().isEmpty() ? QList<qint64>{1} : m_window->runsBrowser()->selectedRuns());
            QTimer::singleShot(800, this, [this] {
                capture(QStringLiteral("runs"));
                QApplication::quit();
            });
        });
    });
    m_window->openDemoProject();
}

} // namespace ra::app
