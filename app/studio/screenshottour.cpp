#include "studio/screenshottour.h"

#include "embeddingmapview.h"
#include "hyperparameterform.h"
#include "studio/alphaexplorer.h"
#include "studio/mainwindow.h"
#include "studio/runsbrowser.h"
#include "studio/yourimagesview.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QComboBox>
#include <QDirIterator>
#include <QPushButton>
#include <QSlider>
#include <QTabWidget>
#include <QTimer>

#include <algorithm>
#include <cstdio>

namespace ra::app {

ScreenshotTour::ScreenshotTour(MainWindow* window, QString directory, int steps)
    : QObject(window), m_window(window), m_directory(std::move(directory)), m_steps(steps)
{}

void ScreenshotTour::capture(const QString& name)
{
    QApplication::processEvents();
    m_window->grab().save(m_directory + QLatin1Char('/') + name + QStringLiteral(".png"));
}

void ScreenshotTour::train(const QString& method, int steps, const QString& learningRate)
{
    auto* form = m_window->hyperParameters();
    form->setValue(QStringLiteral("method"), method);
    form->setValue(QStringLiteral("steps"), QString::number(steps));
    form->setValue(QStringLiteral("lr"), learningRate);
    m_window->startTraining();
}

void ScreenshotTour::searchThenQuit()
{
    // A small search (Run ▸ Search…): R-Adapter's learning rate and dropping probability, shorter
    // runs; its end shows the runs browser's Parallel tab with the best combination selected.
    auto* form = m_window->hyperParameters();
    form->setValue(QStringLiteral("method"), QStringLiteral("radapter"));
    form->setValue(QStringLiteral("steps"), QString::number(std::max(1, m_steps * 2 / 5)));
    form->setValue(QStringLiteral("lr"), QStringLiteral("0.003"));
    QString error;
    if (!m_window->startSearch(SearchSpec{{{"lr", {"0.001", "0.003", "0.01"}}, {"p", {"0.1", "0.3"}}}},
                               QStringLiteral("tour-search"), &error)) {
        std::fprintf(stderr, "screenshot tour: the search did not start: %s\n", qPrintable(error));
        QApplication::quit();
        return;
    }
    auto* poll = new QTimer(this);
    connect(poll, &QTimer::timeout, this, [this, poll] {
        if (m_window->isSearching()) return;
        poll->stop();
        QTimer::singleShot(1000, this, [this] {
            capture(QStringLiteral("runs-parallel"));
            m_window->runsBrowser()->views()->setCurrentIndex(3); // what mattered in that search
            capture(QStringLiteral("runs-importance"));
            std::fprintf(stderr, "screenshot tour: %.0f s with the search\n", m_tourClock.elapsed() / 1000.0);
            earlyStopThenQuit();
        });
    });
    poll->start(500);
}

void ScreenshotTour::earlyStopThenQuit()
{
    // R-Adapter with early stopping, at a rate at which ID validation levels off within the run
    // (evaluated every 10 steps on 150 images a set), captured on the training view with the
    // step whose weights the run keeps marked.
    auto* form = m_window->hyperParameters();
    for (const auto& [key, value] : {std::pair{"method", "radapter"},
                                     {"steps", "300"},
                                     {"batch", "32"},
                                     {"lr", "0.01"},
                                     {"eval_every", "10"},
                                     {"eval_limit", "150"},
                                     {"early_stop_patience", "3"}})
        form->setValue(QString::fromLatin1(key), QString::fromLatin1(value));
    m_window->tabs()->setCurrentIndex(0);
    connect(
        m_window->worker(), &TrainingWorker::trainingFinished, this,
        [this](RunStatus, const QString& message) {
            std::fprintf(stderr, "screenshot tour: early stopping: %s\n", qPrintable(message));
            QTimer::singleShot(1000, this, [this] {
                capture(QStringLiteral("training-early-stop"));
                retrievalMapThenQuit();
            });
        },
        Qt::SingleShotConnection);
    m_window->startTraining();
}

void ScreenshotTour::retrievalMapThenQuit()
{
    // The demo's captioned digits (a retrieval project beside the demo's): a short R-Adapter run,
    // then the embedding map of the unseen typefaces' images and captions — CLIP's modality gap.
    auto* wait = new QTimer(this);
    connect(wait, &QTimer::timeout, this, [this, wait] {
        if (m_window->isBusy()) return; // the early-stopped run's sweep
        wait->stop();
        const QString project =
            QFileInfo(MainWindow::demoProjectPath()).dir().filePath(QStringLiteral("digits-retrieval.json"));
        QString error;
        if (!m_window->openProject(project, &error)) {
            std::fprintf(stderr, "screenshot tour: %s\n", qPrintable(error));
            QApplication::quit();
            return;
        }
        auto* form = m_window->hyperParameters();
        form->setValue(QStringLiteral("steps"), QString::number(200)); // the project's own
        form->setValue(QStringLiteral("eval_every"), QStringLiteral("0"));
        // One after another, each connected once the one before has come: a signal of earlier work
        // still queued cannot start the next.
        connect(
            m_window->worker(), &TrainingWorker::trainingFinished, this,
            [this] {
                connect(
                    m_window->worker(), &TrainingWorker::sweepReady, this,
                    [this] {
                        connect(
                            m_window->worker(), &TrainingWorker::embeddingsMapped, this,
                            [this] {
                                QTimer::singleShot(800, this, [this] {
                                    capture(QStringLiteral("embeddings-retrieval"));
                                    std::fprintf(stderr, "screenshot tour: %.0f s in all\n",
                                                 m_tourClock.elapsed() / 1000.0);
                                    QApplication::quit();
                                });
                            },
                            Qt::SingleShotConnection);
                        m_window->tabs()->setCurrentIndex(1);
                        m_window->alphaExplorer()->setDetailSet(QStringLiteral("unseen-fonts"));
                        m_window->alphaExplorer()->showEmbeddingMap();
                    },
                    Qt::SingleShotConnection);
            },
            Qt::SingleShotConnection);
        m_window->startTraining();
    });
    wait->start(500);
}

void ScreenshotTour::start()
{
    QDir().mkpath(m_directory);
    // The demo's two methods, as `radapter demo` runs them: fine-tuning first (the baseline in the
    // runs browser; its sweep is the WiSE-FT curve the explorer keeps), then R-Adapter, whose
    // views are captured.
    connect(
        m_window, &MainWindow::projectOpened, this,
        [this] {
            QTimer::singleShot(1500, this, [this] {
                capture(QStringLiteral("project"));
                train(QStringLiteral("finetune"), m_steps, QStringLiteral("0.0001"));
            });
        },
        Qt::SingleShotConnection);
    connect(m_window->worker(), &TrainingWorker::trainingFinished, this, [this] {
        if (++m_runsFinished == 2) QTimer::singleShot(500, this, [this] { capture(QStringLiteral("training")); });
    });
    connect(m_window->worker(), &TrainingWorker::sweepReady, this, [this] {
        if (++m_sweepsReady == 1) {
            QTimer::singleShot(500, this,
                               [this] { train(QStringLiteral("radapter"), m_steps, QStringLiteral("0.003")); });
            return;
        }
        if (m_sweepsReady != 2) return; // later runs' sweeps: their own steps of the tour
        m_window->tabs()->setCurrentIndex(1);
        m_window->alphaExplorer()->choiceButton()->click(); // the validation-chosen alpha
        QTimer::singleShot(1500, this, [this] {
            capture(QStringLiteral("alpha-explorer"));
            // Your images: one image of each OOD set, as a teacher would bring them; the sets'
            // files are sorted by class folder, so the k-th set's comes from class 2k + 1.
            QStringList images;
            for (const auto& [name, path] : m_window->project()->ood) {
                QStringList files;
                QDirIterator it(QString::fromStdString(path), QDir::Files, QDirIterator::Subdirectories);
                while (it.hasNext()) files << it.next();
                files.sort();
                if (!files.isEmpty()) images << files[(2 * images.size() + 1) * files.size() / 10];
            }
            m_window->alphaExplorer()->showYourImages();
            m_window->alphaExplorer()->yourImages()->addImages(images);
        });
    });
    connect(m_window->worker(), &TrainingWorker::imagesClassified, this, [this] {
        if (++m_classified != 1) return;
        QTimer::singleShot(800, this, [this] {
            capture(QStringLiteral("your-images"));
            // The embedding map of the printed digits in unseen typefaces, which zero-shot reads.
            m_window->alphaExplorer()->setDetailSet(QStringLiteral("printed-unseen"));
            m_window->alphaExplorer()->showEmbeddingMap();
        });
    });
    connect(m_window->worker(), &TrainingWorker::embeddingsMapped, this, [this] {
        ++m_mapped;
        if (m_mapped == 1) { // on the principal plane; then the same by t-SNE
            QTimer::singleShot(800, this, [this] {
                capture(QStringLiteral("embeddings"));
                m_window->alphaExplorer()->embeddingMap()->projectionBox()->setCurrentIndex(1);
            });
            return;
        }
        if (m_mapped != 2) return;
        QTimer::singleShot(800, this, [this] {
            capture(QStringLiteral("embeddings-tsne"));
            m_window->alphaExplorer()->embeddingMap()->projectionBox()->setCurrentIndex(0);
            m_window->tabs()->setCurrentIndex(2);
            m_window->runsBrowser()->refresh();
            m_window->runsBrowser()->selectRuns({1, 2});
            QTimer::singleShot(1000, this, [this] {
                capture(QStringLiteral("runs"));
                m_demoClock.start();
                m_window->runDemoComparison(); // the full comparison, as `radapter demo`
            });
        });
    });
    connect(m_window->worker(), &TrainingWorker::demoFinished, this, [this] {
        // The comparison's own time, for the README (the Studio's copy of the demo's 300 s bar).
        std::fprintf(stderr, "screenshot tour: the demo comparison took %.0f s, the whole tour %.0f s\n",
                     m_demoClock.elapsed() / 1000.0, m_tourClock.elapsed() / 1000.0);
        QTimer::singleShot(800, this, [this] {
            capture(QStringLiteral("demo-comparison"));
            // The same view in the dark theme (View ▸ Dark Theme), which is switched off again after.
            m_window->darkThemeAction()->setChecked(true);
            QTimer::singleShot(800, this, [this] {
                capture(QStringLiteral("demo-comparison-dark"));
                m_window->darkThemeAction()->setChecked(false);
                // And on logit axes (View ▸ Logit Axes on the ID–OOD Plane), as the paper draws it.
                m_window->logitAxesAction()->setChecked(true);
                QTimer::singleShot(800, this, [this] {
                    capture(QStringLiteral("demo-comparison-logit"));
                    m_window->logitAxesAction()->setChecked(false);
                    searchThenQuit();
                });
            });
        });
    });
    m_tourClock.start();
    m_window->openDemoProject();
}

} // namespace ra::app
