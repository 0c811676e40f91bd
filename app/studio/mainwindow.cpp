#include "studio/mainwindow.h"

#include "curveplot.h"
#include "embeddingmapview.h"
#include "plotexport.h"
#include "demo/demolocation.h"
#include "demo/demoresultfile.h"
#include "io/atomicfile.h"
#include "eval/setrole.h"
#include "hyperparameterform.h"
#include "platform/precision.h"
#include "platform/systeminfo.h"
#include "store/runstore.h"
#include "store/runsummary.h"
#include "store/searchruns.h"
#include "studio/alphaexplorer.h"
#include "studio/theme.h"
#include "studio/trainingsamplesdialog.h"
#include "studio/democomparison.h"
#include "studio/aboutdialog.h"
#include "studio/exportdialog.h"
#include "studio/modelloader.h"
#include "studio/newprojectdialog.h"
#include "studio/projectpanel.h"
#include "studio/runsbrowser.h"
#include "studio/searchdialog.h"
#include "train/runrecording.h"
#include "util/error.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QThread>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace ra::app {

MainWindow::MainWindow(const QString& database, QWidget* parent)
    : QMainWindow(parent), m_database(database.isEmpty() ? QString::fromStdString(RunStore::defaultPath()) : database),
      m_thread(new QThread(this)), m_worker(new TrainingWorker(m_database)), m_loader(new ModelLoader(this)),
      m_projectPanel(new ProjectPanel), m_form(new widgets::HyperParameterForm),
      m_lossPlot(new widgets::CurvePlot(tr("step"), tr("training loss"))),
      m_accuracyPlot(new widgets::CurvePlot(tr("step"), tr("accuracy (%)"))), m_alpha(new AlphaExplorer),
      m_runs(new RunsBrowser(m_database)), m_demo(new DemoComparisonView), m_tabs(new QTabWidget),
      m_progress(new QProgressBar), m_eta(new QLabel)
{
    setWindowTitle(tr("R-Adapter Studio"));
    setObjectName(QStringLiteral("MainWindow"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();

    m_accuracyPlot->setPlaceholderText(
        tr("ID and OOD accuracy appear here while a run trains.\nRun ▸ Start Training (Ctrl+R)"));
    m_lossPlot->setPlaceholderText(tr("Training loss, step by step"));
    // Evaluation curves fill every corner of their plot, so their legend sits beside it; the loss
    // falls, so its legend sits in the empty top right.
    m_accuracyPlot->setLegendBesideAxes();
    m_lossPlot->setLegendCorner(Qt::AlignTop | Qt::AlignRight);
    m_lossPlot->alignAxesWith(m_accuracyPlot); // one step at one place in both
    // The per-step loss is noisy: drawn faint under its moving average, whose weight the user sets
    // (TensorBoard's smoothing; 0 shows the raw loss alone).
    auto* smoothing = new QDoubleSpinBox;
    smoothing->setObjectName(QStringLiteral("lossSmoothing"));
    smoothing->setRange(0, 0.99);
    smoothing->setSingleStep(0.1);
    smoothing->setDecimals(2);
    smoothing->setToolTip(tr("Weight of the loss curve's exponential moving average: 0 none, 0.9 strong"));
    smoothing->setValue(QSettings().value(QStringLiteral("view/lossSmoothing"), 0.6).toDouble());
    m_lossPlot->setSmoothing(tr("loss"), tr("loss (smoothed)"), smoothing->value());
    connect(smoothing, &QDoubleSpinBox::valueChanged, this, [this](double w) {
        m_lossPlot->setSmoothing(tr("loss"), tr("loss (smoothed)"), w);
        QSettings().setValue(QStringLiteral("view/lossSmoothing"), w);
    });
    auto* lossPane = new QWidget;
    auto* lossLayout = new QVBoxLayout(lossPane);
    lossLayout->setContentsMargins(0, 0, 0, 0);
    auto* lossBar = new QHBoxLayout;
    lossBar->addStretch(1);
    lossBar->addWidget(new QLabel(tr("loss smoothing")));
    lossBar->addWidget(smoothing);
    lossLayout->addLayout(lossBar);
    lossLayout->addWidget(m_lossPlot, 1);
    auto* training = new QSplitter(Qt::Vertical);
    training->addWidget(m_accuracyPlot);
    training->addWidget(lossPane);
    training->setStretchFactor(0, 3);
    training->setStretchFactor(1, 2);
    m_tabs->addTab(training, tr("Training"));
    m_tabs->addTab(m_alpha, tr("Alpha explorer"));
    m_tabs->addTab(m_runs, tr("Runs"));
    m_tabs->addTab(m_demo, tr("Demo comparison"));
    setCentralWidget(m_tabs);
    buildDocks();
    buildActions();

    m_progress->setMaximumWidth(260);
    m_progress->setTextVisible(true);
    m_eta->setObjectName(QStringLiteral("eta"));
    // What the run will use on this machine, always in view: the CPU class and what 'auto' means.
    auto* system = new QLabel(QString::fromStdString(systemSummaryLine()), this);
    system->setObjectName(QStringLiteral("systemSummary"));
    system->setToolTip(
        tr("Help ▸ About shows the CPU's features, the libraries and the kernels chosen on this machine."));
    statusBar()->addPermanentWidget(system);
    statusBar()->addPermanentWidget(m_eta);
    statusBar()->addPermanentWidget(m_progress);

    connect(m_worker, &TrainingWorker::started, this, [this](qint64 runId, qint64 trainable) {
        m_runId = runId;
        if (m_search) { // the run is the search's from its first moment, in the store too
            try {
                RunStore(m_database.toStdString(), RunStore::Access::ExistingReadWrite).addTag(runId, m_search->tag);
            } catch (const std::exception& e) {
                statusBar()->showMessage(QString::fromStdString(ra::userMessage(e)), 8000);
            }
            if (m_search->job) {
                const HalvingSearch& h = *m_search->halving;
                m_search->job->run = runId;
                statusBar()->showMessage(tr("Search, rung %1 of %2 (to step %3): %4, run %5")
                                             .arg(h.rung() + 1)
                                             .arg(h.rungs().size())
                                             .arg(h.rungs()[h.rung()])
                                             .arg(QString::fromStdString(
                                                 describeSettings(m_search->combinations[m_search->job->combination])))
                                             .arg(runId));
            } else {
                m_search->runs.back().run = runId;
                statusBar()->showMessage(
                    tr("Search %1 of %2: %3, run %4")
                        .arg(m_search->runs.size())
                        .arg(m_search->planned)
                        .arg(QString::fromStdString(describeSettings(m_search->runs.back().settings)))
                        .arg(runId));
            }
        } else {
            statusBar()->showMessage(
                tr("Run %1 started: %2 trainable parameters").arg(runId).arg(QLocale().toString(trainable)));
        }
        m_runs->refresh();
    });
    connect(m_worker, &TrainingWorker::progress, this, &MainWindow::onProgress);
    connect(m_worker, &TrainingWorker::rungEvaluated, this, [this](const QString& set, double accuracy, int step) {
        // The score the search ranks on, a point of the ID curve (the store keeps it as one too)
        // unless the run evaluated at that step anyway.
        if (step != m_lastEvaluatedStep) m_accuracyPlot->addPoint(set + tr(" (ID)"), step, 100 * accuracy);
        if (!m_search) return;
        m_search->rungAccuracy = accuracy; // trainingFinished follows
        m_search->idSet = set.toStdString();
    });
    connect(m_runs, &RunsBrowser::exploreRequested, this, &MainWindow::exploreRun);
    connect(m_runs, &RunsBrowser::resumeRequested, this, &MainWindow::resumeRun);
    // Export Model follows the runs browser's selection while it is in front.
    connect(m_runs, &RunsBrowser::selectionChanged, this, &MainWindow::updateActions);
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateActions);
    connect(m_worker, &TrainingWorker::runOpened, this,
            [this](qint64 runId, const QString& method, const QString& projectPath) {
                m_runId = runId;
                m_hasTrainedRun = true;
                nameRunCurve(projectPath, methodFromName(method.toStdString()));
                // Its history on the training plots too (with the kept step, for early stopping):
                // what a run did is part of what it is, not only for a run about to resume.
                drawStoredCurves(runId);
                m_progress->setRange(0, 0); // drawing set it; the sweep that follows is busy
                m_tabs->setCurrentWidget(m_alpha);
                requestSweep();
                m_alpha->requestImagePredictions(); // the user's images, by this run
                if (std::exchange(m_exportWhenOpened, 0) == runId)
                    QTimer::singleShot(0, this, &MainWindow::showExportDialog); // after this signal's slots
            });
    connect(m_worker, &TrainingWorker::trainingFinished, this, &MainWindow::onFinished);
    connect(m_worker, &TrainingWorker::sweepPartial, m_alpha, &AlphaExplorer::setSweep);
    connect(m_worker, &TrainingWorker::evaluationSetAdded, this, [this](const QString& name, double primary) {
        statusBar()->showMessage(
            tr("%1: %2 % at the run's alpha; sweeping again to draw it…").arg(name).arg(100 * primary, 0, 'f', 1));
        m_runs->refresh();
    });
    connect(m_worker, &TrainingWorker::sweepReady, this,
            [this](const QVector<AlphaPoint>& points, const QVector<AlphaDetail>& details, const QString& idSet) {
                m_alpha->setSweep(points, details, idSet);
                m_sweeping = false;
                updateActions();
                statusBar()->showMessage(tr("Alpha sweep ready (%1 points)").arg(points.size()), 4000);
            });
    connect(m_worker, &TrainingWorker::sweepStopped, this, [this] {
        m_sweeping = false;
        m_eta->clear();
        m_progress->setRange(0, 1);
        updateActions();
        statusBar()->showMessage(tr("Alpha sweep stopped; the explorer shows the points evaluated so far"), 6000);
    });
    connect(m_worker, &TrainingWorker::sweepProgress, this, [this](int done, int total) {
        m_progress->setRange(0, total);
        m_progress->setValue(done);
        m_eta->setText(tr("alpha sweep %1/%2").arg(done).arg(total));
        if (done == total) m_eta->clear();
    });
    connect(m_worker, &TrainingWorker::setSamples, m_alpha, &AlphaExplorer::setSamples);
    connect(m_worker, &TrainingWorker::alphaEvaluated, m_alpha, &AlphaExplorer::setDetail);
    // One classification of the user's images at a time, and only the latest request waiting:
    // a hundred photos take seconds, and every rest of the slider asks again.
    connect(m_worker, &TrainingWorker::imagesClassified, this, [this](const ImagePredictions& p) {
        m_alpha->setImagePredictions(p);
        m_imageRequests.answered();
    });
    connect(m_alpha, &AlphaExplorer::imagePredictionsRequested, this, [this](const QStringList& paths, double a) {
        if (!m_hasTrainedRun || m_training) return; // asked again once a run is there
        const std::string key =
            QString::number(a, 'g', 17).append(QLatin1Char('\n')).append(paths.join('\n')).toStdString();
        m_imageRequests.ask(key, [w = m_worker, paths, a] {
            QMetaObject::invokeMethod(
                w, [w, paths, a] { w->classifyImages(paths, a); }, Qt::QueuedConnection);
        });
    });
    // The same for the embedding map of the set and alpha the explorer shows.
    connect(m_worker, &TrainingWorker::embeddingsMapped, this, [this](const EmbeddingMap& map) {
        m_alpha->setEmbeddingMap(map);
        m_mapRequests.answered();
    });
    connect(m_alpha, &AlphaExplorer::embeddingMapRequested, this, [this](double a, const QString& set, bool tsne) {
        if (!m_hasTrainedRun || m_training) return;
        m_mapRequests.ask(QString::number(a, 'g', 17)
                              .append(tsne ? QStringLiteral(" t-SNE ") : QStringLiteral(" PCA "))
                              .append(set)
                              .toStdString(),
                          [w = m_worker, a, set, tsne] {
                              QMetaObject::invokeMethod(
                                  w, [w, a, set, tsne] { w->mapEmbeddings(set, a, tsne); }, Qt::QueuedConnection);
                          });
    });
    connect(m_alpha, &AlphaExplorer::detailRequested, this, [this](double a, const QString& set) {
        if (!m_hasTrainedRun || m_training) return;
        QMetaObject::invokeMethod(
            m_worker, [w = m_worker, a, set] { w->evaluateAlpha(a, set); }, Qt::QueuedConnection);
    });
    connect(m_worker, &TrainingWorker::exported, this, [this](const QString& path, const QString& head) {
        statusBar()->showMessage(head.isEmpty() ? tr("Exported %1").arg(path)
                                                : tr("Exported %1, its classification head to %2").arg(path, head),
                                 8000);
        m_progress->setRange(0, 1);
        m_progress->setValue(1);
    });
    // Every job but training (which ends in trainingFinished, see onFinished) fails here, and ends
    // only its own job's state.
    connect(m_worker, &TrainingWorker::failed, this, [this](TrainingWorker::Job job, const QString& message) {
        if (job == TrainingWorker::Job::Sweep || job == TrainingWorker::Job::EvaluateOn ||
            job == TrainingWorker::Job::OpenRun)
            m_sweeping = false;
        if (job == TrainingWorker::Job::OpenRun) m_exportWhenOpened = 0; // no dialog for a run that did not open
        if (job == TrainingWorker::Job::TrainingSamples && m_samplesDialog) {
            m_samplesDialog->showFailure(message.isEmpty() ? tr("Stopped.") : message);
            if (message.isEmpty()) return;
        }
        if (job == TrainingWorker::Job::ClassifyImages || job == TrainingWorker::Job::EmbeddingMap) {
            (job == TrainingWorker::Job::ClassifyImages ? m_imageRequests : m_mapRequests).answered();
            if (message.isEmpty()) return; // stopped, not failed
        }
        if (job == TrainingWorker::Job::DemoComparison && m_demoRunning) {
            m_demoRunning = false;
            m_demo->setRunning(false);
            m_demo->appendLog(tr("The comparison failed: %1").arg(message));
        }
        updateActions();
        m_progress->setRange(0, 1);
        statusBar()->showMessage(tr("Error: %1").arg(message), 10000);
        warnFailure(message);
    });
    connect(m_worker, &TrainingWorker::demoDataReady, this, [this] { openProject(demoProjectPath()); });
    connect(m_demo, &DemoComparisonView::runRequested, this, [this] { runDemoComparison(); });
    connect(m_worker, &TrainingWorker::demoLog, m_demo, &DemoComparisonView::appendLog);
    showLastDemoResult();
    connect(m_demo, &DemoComparisonView::openRequested, this, [this] {
        const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Open demo results"), demoResultsFolder(),
                                                                tr("Demo results (*.json);;All files (*)"));
        QString error;
        if (!paths.isEmpty() && !openDemoResults(paths, &error)) warnFailure(error);
    });
    connect(m_worker, &TrainingWorker::demoFinished, this, [this](const ra::DemoResult& r) {
        m_demoRunning = false;
        m_demo->setResult(r);
        // Kept, so the next start shows it: a class sees the figure without two minutes of training.
        QString notKept;
        try {
            writeFileAtomically(lastDemoResultPath().toStdString(),
                                demoResultJson(r, demoProjectPath().toStdString()) + "\n", "the demo result");
        } catch (const std::exception& e) {
            notKept = tr(" It could not be kept for the next start: %1").arg(QString::fromUtf8(e.what()));
        }
        m_demo->setRunning(false);
        m_progress->setRange(0, 1);
        m_progress->setValue(1);
        updateActions();
        statusBar()->showMessage(tr("Demo comparison done in %1 s.").arg(r.seconds, 0, 'f', 0) + notKept,
                                 notKept.isEmpty() ? 6000 : 15000);
    });
    connect(m_worker, &TrainingWorker::demoStopped, this, [this] {
        m_demoRunning = false;
        m_demo->setRunning(false);
        m_demo->appendLog(tr("Stopped."));
        m_progress->setRange(0, 1);
        updateActions();
    });
    connect(m_loader, &ModelLoader::loaded, this, [this](const ModelSummary& s) {
        m_projectPanel->setModel(s);
        if (m_pendingCheckpoint.isEmpty() || QFileInfo(s.path).absoluteFilePath() != m_pendingCheckpoint) return;
        m_lastCheckpoint = m_pendingCheckpoint;
        m_pendingCheckpoint.clear();
        if (!m_project) return;
        m_project->model = m_lastCheckpoint.toStdString();
        statusBar()->showMessage(tr("The project now uses %1 (File ▸ Save Project As keeps it)").arg(m_lastCheckpoint),
                                 8000);
    });
    connect(m_loader, &ModelLoader::failed, this, [this](const QString& message) {
        m_pendingCheckpoint.clear();
        statusBar()->showMessage(message, 10000);
    });

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (!settings.contains(QStringLiteral("window/geometry"))) {
        // The first start's size: roomy on a desktop monitor, but never more than the screen, or a
        // 1366 x 768 laptop shows neither the right-hand dock nor the status bar.
        const QRect room = availableRoom();
        fitDocksToScreen();
        resize(std::min(1400, room.width() * 95 / 100), std::min(860, room.height() * 95 / 100));
    }
    updateActions();
    statusBar()->showMessage(tr("Ready"));
}

MainWindow::~MainWindow()
{
    // Whatever the worker runs (training, a sweep, the demo) stops within about a step or an
    // evaluation chunk, and nothing queued after it starts.
    m_worker->shutDown();
    m_worker->setPaused(false);
    m_thread->quit();
    m_thread->wait();
}

QRect MainWindow::availableRoom() const { return screen() ? screen()->availableGeometry() : QRect(0, 0, 1400, 860); }

void MainWindow::fitDocksToScreen()
{
    // Three columns need about 1,310 pixels; a screen with fewer (a 1080p laptop at 150 %, a 1440p
    // one at 200 %: 1280 x 720) would cut off the form. There the form shares the project's
    // column as a tab, one click away.
    if (minimumSizeHint().width() <= availableRoom().width()) return;
    tabifyDockWidget(m_projectDock, m_formDock);
    m_projectDock->raise();
}

void MainWindow::resetLayout()
{
    // Each panel back in its own column, docked and shown, the toolbar on top: as a first start
    // lays the window out (on a small screen, the two panels as tabs of one column).
    for (QDockWidget* dock : {m_projectDock, m_formDock}) {
        dock->setFloating(false);
        dock->show();
    }
    addDockWidget(Qt::LeftDockWidgetArea, m_projectDock);
    addDockWidget(Qt::RightDockWidgetArea, m_formDock);
    addToolBar(Qt::TopToolBarArea, m_runToolBar);
    m_runToolBar->show();
    fitDocksToScreen();
}

void MainWindow::buildDocks()
{
    // Panels sharing a column show their tabs above, where they are seen; set on every start,
    // because the window's saved state keeps which panels are tabbed but not where the tabs go.
    setTabPosition(Qt::AllDockWidgetAreas, QTabWidget::North);
    auto* left = m_projectDock = new QDockWidget(tr("Project"), this);
    left->setObjectName(QStringLiteral("ProjectDock"));
    left->setWidget(m_projectPanel);
    addDockWidget(Qt::LeftDockWidgetArea, left);
    auto* right = m_formDock = new QDockWidget(tr("Hyper-parameters"), this);
    right->setObjectName(QStringLiteral("HyperParameterDock"));
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_form);
    scroll->setWidgetResizable(true);
    // Only ever scroll down: on a small screen the plots in the middle give up the width, and every
    // value in the form stays readable (squeezed, the dock cut them to "radap", "cosin").
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(m_form->minimumSizeHint().width() + scroll->verticalScrollBar()->sizeHint().width() +
                            2 * scroll->frameWidth());
    right->setWidget(scroll);
    addDockWidget(Qt::RightDockWidgetArea, right);
    connect(m_form, &widgets::HyperParameterForm::changed, this, &MainWindow::updateActions);
    // Before a run, the empty training plots span the steps it will take (when the form sets them
    // directly) and accuracy from 0 to 100 %, not an arbitrary 0 to 5.
    const auto frameEmptyPlots = [this] {
        TrainConfig c;
        if (!m_form->config(&c, nullptr) || c.epochs > 0 || c.steps < 1) return;
        m_accuracyPlot->setEmptyRange(0, c.steps, 0, 100);
        m_lossPlot->setEmptyRange(0, c.steps, 0, 1);
    };
    connect(m_form, &widgets::HyperParameterForm::changed, this, frameEmptyPlots);
    frameEmptyPlots();
}

void MainWindow::buildActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New Project…"), QKeySequence::New, this, &MainWindow::newProject);
    file->addAction(tr("&Open Project…"), QKeySequence::Open, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open project"), QString(),
                                                          tr("R-Adapter projects (*.json)"));
        QString error;
        if (!path.isEmpty() && !openProject(path, &error)) QMessageBox::warning(this, tr("Open project"), error);
    });
    file->addAction(tr("Open &Demo Project"), this, &MainWindow::openDemoProject);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addAction(tr("Open &Checkpoint…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open CLIP checkpoint"), QString(),
                                                          tr("CLIP checkpoints (*.pt *.safetensors);;All files (*)"));
        if (!path.isEmpty()) openCheckpoint(path);
    });
    m_saveAction = file->addAction(tr("&Save Project As…"), QKeySequence::SaveAs, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save project as"), m_project ? QString::fromStdString(m_project->path) : QString(),
            tr("R-Adapter projects (*.json)"));
        QString error;
        if (!path.isEmpty() && !saveProjectAs(path, &error)) QMessageBox::warning(this, tr("Save project"), error);
    });
    file->addSeparator();
    m_exportAction = file->addAction(tr("&Export Model…"), QKeySequence(tr("Ctrl+E")), this,
                                     &MainWindow::showExportDialog);
    file->addAction(tr("Export &Plot…"), this, [this] {
        const auto [plot, name] = plotInView();
        if (!plot) return statusBar()->showMessage(tr("The view in front is a table, not a plot."), 5000);
        const QString path = QFileDialog::getSaveFileName(this, tr("Export plot"), name + QStringLiteral(".png"),
                                                          tr("PNG (*.png);;SVG (*.svg);;PDF (*.pdf)"));
        QString error;
        if (!path.isEmpty() && !widgets::exportPlot(plot, path, &error))
            QMessageBox::warning(this, tr("Export plot"), error);
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    m_startAction = run->addAction(tr("&Start Training"), QKeySequence(tr("Ctrl+R")), this, &MainWindow::startTraining);
    m_pauseAction = run->addAction(tr("&Pause"), QKeySequence(tr("Ctrl+P")), this, &MainWindow::togglePause);
    m_cancelAction = run->addAction(tr("&Cancel"), QKeySequence(tr("Ctrl+.")), this, &MainWindow::cancelOperation);
    run->addSeparator();
    m_searchAction = run->addAction(tr("Searc&h…"), QKeySequence(tr("Ctrl+Shift+R")), this,
                                    &MainWindow::showSearchDialog);
    m_searchAction->setToolTip(tr("Train every combination of a few settings' values, ranked by ID validation"));
    m_sweepAction = run->addAction(tr("S&weep Alpha"), this, &MainWindow::requestSweep);
    m_sweepAction->setToolTip(tr("Evaluate the last trained run at every alpha from 0 to 1.5"));
    run->addAction(tr("Show &Training Samples…"), this, [this] { showTrainingSamples(0); });
    m_evaluateOnAction = run->addAction(tr("&Evaluate on…"), this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Evaluate the run on a dataset folder"));
        if (!folder.isEmpty()) evaluateOn(folder);
    });

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < m_tabs->count(); ++i)
        view->addAction(m_tabs->tabText(i), QKeySequence(QStringLiteral("Ctrl+%1").arg(i + 1)), this,
                        [this, i] { m_tabs->setCurrentIndex(i); });
    view->addSeparator();
    // Dark surroundings, a projector in a dim room: the whole window and its plots, remembered.
    m_darkThemeAction = view->addAction(tr("&Dark Theme"));
    m_darkThemeAction->setCheckable(true);
    connect(m_darkThemeAction, &QAction::toggled, this, [](bool dark) {
        setDarkTheme(dark);
        QSettings().setValue(QStringLiteral("view/darkTheme"), dark);
    });
    m_darkThemeAction->setChecked(QSettings().value(QStringLiteral("view/darkTheme"), false).toBool());
    // The ID-vs-OOD plane as the WiSE-FT paper draws it; linear percent (the default) reads more
    // easily in a class.
    m_logitAxesAction = view->addAction(tr("&Logit Axes on the ID–OOD Plane"));
    m_logitAxesAction->setCheckable(true);
    m_logitAxesAction->setToolTip(tr("Place accuracies at logit(p): equal distances are equal changes in the odds of "
                                     "being right, and points near 100 % spread out"));
    connect(m_logitAxesAction, &QAction::toggled, this, [this](bool logit) {
        m_alpha->wiseFtPlot()->setLogitAxes(logit);
        m_demo->plot()->setLogitAxes(logit);
        QSettings().setValue(QStringLiteral("view/logitAxes"), logit);
    });
    m_logitAxesAction->setChecked(QSettings().value(QStringLiteral("view/logitAxes"), false).toBool());
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About R-Adapter Studio"), this, &MainWindow::showAbout);

    QToolBar* bar = m_runToolBar = addToolBar(tr("Run"));
    bar->setObjectName(QStringLiteral("RunToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    for (QAction* a : {m_startAction, m_pauseAction, m_cancelAction, m_exportAction}) bar->addAction(a);

    // The panels and the toolbar, shown and hidden from the menu: a panel closed by its title
    // bar's x stays closed across restarts (the window's state is remembered), and without these
    // only a right click on the toolbar, which few find, would bring it back.
    view->addSeparator();
    const std::pair<QDockWidget*, QString> panels[] = {{m_projectDock, tr("&Project")},
                                                       {m_formDock, tr("&Hyper-parameters")}};
    for (const auto& [dock, text] : panels) {
        QAction* shown = dock->toggleViewAction();
        shown->setText(text);
        view->addAction(shown);
    }
    QAction* toolbarShown = bar->toggleViewAction();
    toolbarShown->setText(tr("Run &Toolbar"));
    view->addAction(toolbarShown);
    view->addAction(tr("&Reset Layout"), this, &MainWindow::resetLayout);

    QSettings settings;
    const QStringList recent = settings.value(QStringLiteral("session/recentProjects")).toStringList();
    for (const QString& path : recent) m_recentMenu->addAction(path, this, [this, path] { openProject(path); });
}

void MainWindow::addRecentProject(const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("session/recentProjects")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > 8) recent.removeLast();
    settings.setValue(QStringLiteral("session/recentProjects"), recent);
    m_recentMenu->clear();
    for (const QString& p : recent) m_recentMenu->addAction(p, this, [this, p] { openProject(p); });
}

void MainWindow::updateActions()
{
    QString error;
    const bool valid = m_form->config(nullptr, &error);
    m_startAction->setEnabled(m_project.has_value() && !m_training && !m_demoRunning && valid);
    m_demo->runButton()->setEnabled(!m_training && !m_demoRunning && !demoProjectPath().isEmpty());
    m_startAction->setToolTip(valid ? tr("Start training with these hyper-parameters") : error);
    m_searchAction->setEnabled(m_startAction->isEnabled());
    m_pauseAction->setEnabled(m_training);
    m_pauseAction->setText(m_worker->isPaused() ? tr("&Resume") : tr("&Pause"));
    m_cancelAction->setEnabled(m_training || m_sweeping || m_demoRunning);
    const qint64 exportable = runToExport();
    m_exportAction->setEnabled(exportable > 0 && !m_training && (exportable == m_runId || !isBusy()));
    m_exportAction->setToolTip(exportable > 0
                                   ? tr("Export run %1 as a merged model at an alpha you choose").arg(exportable)
                                   : tr("Export a run as a merged model: train one, or select a finished "
                                        "run in Runs"));
    m_evaluateOnAction->setEnabled(m_hasTrainedRun && !m_training && !m_sweeping && !m_demoRunning);
    m_sweepAction->setEnabled(m_evaluateOnAction->isEnabled()); // needs a trained run too
    m_saveAction->setEnabled(m_project.has_value());
}

QString MainWindow::demoProjectPath()
{
    try {
        return QString::fromStdString(
            locateDemoProject(RA_SOURCE_TREE, QCoreApplication::applicationDirPath().toStdString()));
    } catch (const std::exception&) {
        return {};
    }
}

QString MainWindow::lastDemoResultPath() const
{
    const QFileInfo store(m_database);
    return store.dir().filePath(store.completeBaseName() + QStringLiteral("-last-demo.json"));
}

bool MainWindow::openDemoResults(const QStringList& paths, QString* error)
{
    try {
        std::vector<DemoResult> runs;
        QStringList names;
        for (const QString& path : paths) {
            const std::vector<DemoResult> read = readDemoResults(path.toStdString());
            runs.insert(runs.end(), read.begin(), read.end());
            names << QFileInfo(path).fileName();
        }
        if (runs.empty()) return false;
        const QString origin = tr("From %1").arg(names.join(QStringLiteral(", ")));
        if (runs.size() == 1) m_demo->setResult(runs.front(), origin);
        else m_demo->setSeeds(runs, origin);
        m_tabs->setCurrentWidget(m_demo);
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromUtf8(e.what());
        return false;
    }
}

// The committed results (the README's table) in a source checkout; the user's home elsewhere.
QString MainWindow::demoResultsFolder()
{
    const QString results = QStringLiteral(RA_SOURCE_TREE) + QStringLiteral("/docs/results");
    return QFileInfo(results).isDir() ? results : QDir::homePath();
}

void MainWindow::showLastDemoResult()
{
    const QString path = lastDemoResultPath();
    if (!QFileInfo::exists(path)) return;
    try {
        const std::vector<DemoResult> results = readDemoResults(path.toStdString());
        m_demo->setResult(results.front(),
                          tr("The last comparison, run on %1")
                              .arg(QLocale().toString(QFileInfo(path).lastModified(), QLocale::ShortFormat)));
    } catch (const std::exception& e) {
        // A damaged file costs the picture, not the start: the next comparison writes it again.
        m_demo->appendLog(tr("The last comparison could not be shown: %1").arg(QString::fromUtf8(e.what())));
    }
}

void MainWindow::openDemoProject()
{
    if (demoProjectPath().isEmpty()) {
        statusBar()->showMessage(tr("The demo project is not installed."), 8000);
        return;
    }
    const QString dataDir = QFileInfo(demoProjectPath()).absolutePath() + QStringLiteral("/data");
    if (QFileInfo::exists(dataDir + QStringLiteral("/manifest.json"))) {
        openProject(demoProjectPath());
        return;
    }
    statusBar()->showMessage(tr("Preparing the demo data from Debian's packages…"));
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, dataDir] { w->prepareDemoData(dataDir); }, Qt::QueuedConnection);
}

bool MainWindow::openProject(const QString& path, QString* error)
{
    try {
        Project p = Project::load(path.toStdString());
        m_project = p;
        m_hasTrainedRun = false;
        m_alpha->forgetEarlierCurves();
        m_projectPanel->setProject(p);
        m_form->setConfig(p.config);
        m_loader->load(QString::fromStdString(p.model));
        m_lossPlot->clear();
        m_accuracyPlot->clear();
        m_lastEvaluatedStep = -1;
        setWindowTitle(tr("%1 — R-Adapter Studio").arg(QString::fromStdString(p.name)));
        addRecentProject(QFileInfo(path).absoluteFilePath());
        updateActions();
        statusBar()->showMessage(tr("Opened %1").arg(path), 4000);
        Q_EMIT projectOpened(path);
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(ra::userMessage(e));
        statusBar()->showMessage(QString::fromStdString(ra::userMessage(e)), 10000);
        return false;
    }
}

void MainWindow::openCheckpoint(const QString& path)
{
    // Once the loader has read it, the open project trains from this checkpoint (Save Project As
    // keeps it); a file that does not load leaves the project as it was and its error names it.
    m_pendingCheckpoint = QFileInfo(path).absoluteFilePath();
    m_loader->load(path);
}

bool MainWindow::saveProjectAs(const QString& path, QString* error)
{
    if (!m_project) {
        if (error) *error = tr("No project is open.");
        return false;
    }
    Project p = *m_project;
    QString formError;
    if (!m_form->config(&p.config, &formError)) { // the hyper-parameters as shown are saved
        if (error) *error = formError;
        return false;
    }
    try {
        p.save(path.toStdString());
        p.path = QFileInfo(path).absoluteFilePath().toStdString();
        m_project = p;
        m_projectPanel->setProject(p);
        addRecentProject(QString::fromStdString(p.path));
        statusBar()->showMessage(tr("Saved %1").arg(path), 4000);
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(ra::userMessage(e));
        return false;
    }
}

void MainWindow::newProject()
{
    // Start from the checkpoint last opened, else the open project's model, else the demo model.
    QString model = m_lastCheckpoint;
    if (model.isEmpty() && m_project) model = QString::fromStdString(m_project->model);
    if (model.isEmpty()) {
        try {
            model = QString::fromStdString(Project::load(demoProjectPath().toStdString()).model);
        } catch (const std::exception&) {}
    }
    NewProjectDialog dialog(model, this);
    if (dialog.exec() == QDialog::Accepted) openProject(dialog.projectPath());
}

void MainWindow::runDemoComparison(int steps, int evalLimit)
{
    if (m_training || m_demoRunning || demoProjectPath().isEmpty()) return;
    m_demoRunning = true;
    m_demo->setRunning(true);
    m_tabs->setCurrentWidget(m_demo);
    m_progress->setRange(0, 0); // busy: the phases are reported in the view
    updateActions();
    const QString project = demoProjectPath();
    const qint64 seed = m_demo->seed();
    QMetaObject::invokeMethod(
        m_worker,
        [w = m_worker, project, seed, steps, evalLimit] { w->runDemoComparison(project, seed, steps, evalLimit); },
        Qt::QueuedConnection);
}

void MainWindow::startTraining()
{
    if (!m_project || m_training || m_demoRunning) return;
    Project p = *m_project;
    QString error;
    if (!m_form->config(&p.config, &error)) {
        statusBar()->showMessage(error, 8000);
        return;
    }
    launchTraining(p);
    const std::string warning = precisionWarning(p.config.precision, cpuFeatures());
    if (!warning.empty()) statusBar()->showMessage(QString::fromStdString(warning), 10000);
}

void MainWindow::launchTraining(const Project& p, int stopAfter)
{
    beginTraining(p);
    m_lossPlot->clear();
    m_accuracyPlot->clear();
    m_lastEvaluatedStep = -1;
    m_progress->setRange(0, std::max(1, p.config.steps));
    m_progress->setValue(0);
    updateActions();
    m_tabs->setCurrentIndex(0);
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, p, stopAfter] { w->startTraining(p, stopAfter); }, Qt::QueuedConnection);
}

void MainWindow::continueTraining(const Project& p, qint64 runId, int stopAfter)
{
    beginTraining(p);
    drawStoredCurves(runId);
    m_progress->setRange(0, std::max(1, p.config.steps));
    updateActions();
    m_tabs->setCurrentIndex(0);
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, runId, stopAfter] { w->resumeTraining(runId, stopAfter); }, Qt::QueuedConnection);
}

void MainWindow::showTrainingSamples(int step)
{
    if (!m_project) return;
    Project p = *m_project;
    QString error;
    if (!m_form->config(&p.config, &error)) { // the samples of the settings as the form has them
        statusBar()->showMessage(error, 8000);
        return;
    }
    if (!m_samplesDialog) {
        m_samplesDialog = new TrainingSamplesDialog(this);
        connect(m_samplesDialog, &TrainingSamplesDialog::stepRequested, this, &MainWindow::showTrainingSamples);
        connect(m_worker, &TrainingWorker::trainingSamplesReady, m_samplesDialog, &TrainingSamplesDialog::setPreview);
    }
    m_samplesDialog->showWaiting(step);
    m_samplesDialog->show();
    m_samplesDialog->raise();
    // Queued behind a training or a sweep in progress, which the worker finishes first.
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, p, step] { w->previewTrainingSamples(p, step, 32); }, Qt::QueuedConnection);
}

void MainWindow::beginTraining(const Project& p)
{
    labelAccuracyAxis(p.config);
    m_training = true;
    m_hasTrainedRun = false;
    nameRunCurve(QString::fromStdString(p.path), p.config.method);
}

std::pair<QCustomPlot*, QString> MainWindow::plotInView() const
{
    // The figure a teacher wants on a slide is the one on screen: the ID-vs-OOD plane of the
    // alpha explorer (or its embedding map, when that tab is in front) or of the demo comparison,
    // the runs browser's tab in front, or the training curves.
    const QWidget* view = m_tabs->currentWidget();
    if (view == m_alpha && m_alpha->embeddingMapInFront())
        return {m_alpha->embeddingMap()->plot(), QStringLiteral("embedding-map")};
    if (view == m_alpha) return {m_alpha->wiseFtPlot()->plot(), QStringLiteral("alpha-plane")};
    if (view == m_runs) return m_runs->plotInFront();
    if (view == m_demo) return {m_demo->plot()->plot(), QStringLiteral("demo-figure")};
    return {m_accuracyPlot->plot(), QStringLiteral("accuracy")};
}

void MainWindow::nameRunCurve(const QString& projectPath, Method m)
{
    // Another project's curves do not belong on this run's plane.
    if (projectPath != m_runProject) m_alpha->forgetEarlierCurves();
    m_runProject = projectPath;
    // Fine-tuning's alpha curve is WiSE-FT's: theta0 + alpha (theta1 - theta0).
    const bool wise = m == Method::FullFineTune || m == Method::WiseFt;
    const QString method = QString::fromStdString(methodLabel(m));
    m_alpha->setRunCurveName(wise ? tr("WiSE-FT curve") : tr("%1 α curve").arg(method),
                             wise ? tr("fine-tuned (α=1)") : tr("%1 (α=1)").arg(method));
}

bool MainWindow::refusedWhileBusy()
{
    if (isBusy())
        statusBar()->showMessage(tr("Wait until the training, sweep or demo in progress has ended, or cancel it."),
                                 8000);
    return isBusy();
}

void MainWindow::exploreRun(qint64 runId)
{
    if (refusedWhileBusy()) return;
    m_sweeping = true; // it ends in a sweep: cancel and the progress bar treat it as one
    m_progress->setRange(0, 0);
    updateActions();
    statusBar()->showMessage(tr("Opening run %1…").arg(runId));
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, runId] { w->openRun(runId); }, Qt::QueuedConnection);
}

void MainWindow::resumeRun(qint64 runId)
{
    if (refusedWhileBusy()) return;
    Project p;
    try {
        RunStore store(m_database.toStdString(), RunStore::Access::ReadOnly);
        p = RunRecorder::storedProject(store, runId);
    } catch (const std::exception& e) {
        statusBar()->showMessage(QString::fromStdString(ra::userMessage(e)), 10000);
        warnFailure(QString::fromStdString(ra::userMessage(e)));
        return;
    }
    statusBar()->showMessage(tr("Resuming run %1…").arg(runId));
    continueTraining(p, runId);
}

void MainWindow::labelAccuracyAxis(const TrainConfig& c)
{
    // The curves evaluate the run's model at its evaluation alpha (0.5 for R-Adapter by default).
    const bool rescales = c.method == Method::RAdapter || c.method == Method::WiseFt || c.method == Method::Lora;
    m_accuracyPlot->setYLabel(rescales ? tr("accuracy (%) at α = %1").arg(c.evalAlpha()) : tr("accuracy (%)"));
}

void MainWindow::drawStoredCurves(qint64 runId)
{
    m_lossPlot->clear();
    m_accuracyPlot->clear();
    m_lastEvaluatedStep = -1;
    try {
        RunStore store(m_database.toStdString(), RunStore::Access::ReadOnly);
        try {
            labelAccuracyAxis(RunRecorder::storedProject(store, runId).config);
        } catch (const std::exception&) {} // a run without its project's settings: curves, unlabelled
        // As the worker reports them: one progress point per step, its accuracies where it evaluated.
        std::map<int64_t, TrainProgress> steps;
        for (const MetricPoint& m : store.metrics(runId)) {
            TrainProgress& p = steps[m.step];
            p.step = int(m.step);
            if (m.key == "loss") p.loss = m.value;
            else if (m.key.rfind("acc/", 0) == 0) p.accuracy[m.key.substr(4)] = m.value;
            else if (m.key == "best_step") p.bestStep = int(m.value);
        }
        for (auto& [step, p] : steps) {
            p.totalSteps = std::max(1, int(step));
            onProgress(p);
        }
        m_eta->clear();
    } catch (const std::exception&) {} // the history is a courtesy; the resume itself reports errors
}

void MainWindow::togglePause()
{
    if (!m_training) return;
    m_worker->setPaused(!m_worker->isPaused());
    statusBar()->showMessage(m_worker->isPaused() ? tr("Paused") : tr("Resumed"), 3000);
    updateActions();
}

void MainWindow::cancelOperation()
{
    if (!m_training && !m_sweeping && !m_demoRunning) return;
    m_worker->cancel();
    m_worker->setPaused(false);
    statusBar()->showMessage(tr("Cancelling…"));
}

void MainWindow::requestSweep()
{
    if (!m_hasTrainedRun || m_training) return;
    m_sweeping = true;
    updateActions();
    statusBar()->showMessage(tr("Sweeping alpha from 0 to 1.5…"));
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->sweep(); }, Qt::QueuedConnection);
}

void MainWindow::evaluateOn(const QString& path, const QString& name)
{
    if (!m_hasTrainedRun || m_training || m_sweeping || m_demoRunning) return;
    const QFileInfo info(path);
    const QString set = name.isEmpty() ? (info.isDir() ? info.fileName() : info.completeBaseName()) : name;
    m_sweeping = true; // it ends in a sweep: cancel and the progress bar treat it as one
    updateActions();
    statusBar()->showMessage(tr("Evaluating the run on %1…").arg(path));
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, set, path] { w->evaluateOn(set, path); }, Qt::QueuedConnection);
}

void MainWindow::exportModel(double alpha, const QString& layout, const QString& path, bool adaptersOnly)
{
    m_progress->setRange(0, 0); // busy
    QMetaObject::invokeMethod(
        m_worker, [=, w = m_worker] { w->exportModel(alpha, layout, path, adaptersOnly); }, Qt::QueuedConnection);
}

void MainWindow::onProgress(const ra::TrainProgress& p)
{
    if (p.step > 0) {
        // Both plots span the run's steps from 0 (the accuracy plot's first point is the first
        // evaluation), so they show the same steps and how far the run has come.
        m_lossPlot->setMinimumXRange(0, p.totalSteps);
        m_accuracyPlot->setMinimumXRange(0, p.totalSteps);
        m_lossPlot->addPoint(tr("loss"), p.step, p.loss);
        m_progress->setMaximum(std::max(1, p.totalSteps));
        m_progress->setValue(p.step);
        const QString run = tr("step %1/%2 · ETA %3 s").arg(p.step).arg(p.totalSteps).arg(int(p.etaSeconds));
        QString position; // which run of the search this is
        if (m_search && m_search->halving)
            position =
                tr("search, rung %1/%2 · ").arg(m_search->halving->rung() + 1).arg(m_search->halving->rungs().size());
        else if (m_search) position = tr("search %1/%2 · ").arg(m_search->runs.size()).arg(m_search->planned);
        m_eta->setText(position + run);
    }
    // The ID sets first (validation, then test: SetRole's order), then the OOD sets: a curve's
    // first point fixes its place in the legend and its colour, so the sets the run is trained
    // for lead both.
    std::vector<std::pair<std::string, double>> sets(p.accuracy.begin(), p.accuracy.end());
    std::stable_sort(sets.begin(), sets.end(),
                     [](const auto& a, const auto& b) { return roleOfSet(a.first) < roleOfSet(b.first); });
    if (!sets.empty()) m_lastEvaluatedStep = p.step;
    for (const auto& [set, acc] : sets) {
        const QString name = QString::fromStdString(set);
        const bool id = isIdRole(roleOfSet(set));
        m_accuracyPlot->addPoint(id ? name + tr(" (ID)") : name, p.step, 100 * acc);
    }
    // Early stopping: the step whose weights the run keeps if it stops now.
    if (p.bestStep > 0) m_accuracyPlot->setMarker(tr("best on validation: step %1").arg(p.bestStep), p.bestStep);
}

void MainWindow::showSearchDialog()
{
    if (!m_project || m_training || m_demoRunning) return;
    TrainConfig base = m_project->config;
    QString error;
    if (!m_form->config(&base, &error)) {
        statusBar()->showMessage(error, 8000);
        return;
    }
    SearchDialog dialog(base, this);
    if (dialog.exec() != QDialog::Accepted) return;
    if (!startSearch(dialog.spec(), dialog.tag(), &error)) statusBar()->showMessage(error, 8000);
}

bool MainWindow::startSearch(const SearchSpec& spec, const QString& tag, QString* error)
{
    auto refuse = [&](const QString& why) {
        if (error) *error = why;
        return false;
    };
    if (!m_project) return refuse(tr("Open a project first."));
    if (m_training || m_demoRunning || m_search)
        return refuse(tr("Something else is running; wait for it or cancel it."));
    if (tag.trimmed().isEmpty()) return refuse(tr("The search's runs need a tag."));
    Search search{*m_project, tag.trimmed().toStdString()};
    QString formError;
    if (!m_form->config(&search.base.config, &formError)) return refuse(formError);
    try {
        if (const std::string problem = bayesProblem(spec); !problem.empty())
            return refuse(QString::fromStdString(problem));
        if (spec.bayes) { // its draws are made as it goes: the start and the ranges' ends checked now
            search.bayes.emplace(spec);
            checkSearch(search.base.config, search.bayes->plannedBounds());
            search.planned = search.bayes->runs();
        } else {
            search.combinations = planSearch(spec);
            checkSearch(search.base.config, search.combinations);
            search.planned = search.combinations.size();
        }
    } catch (const std::exception& e) {
        return refuse(QString::fromStdString(ra::userMessage(e)));
    }
    if (search.planned == 0) return refuse(tr("Choose a setting to search."));
    if (spec.halving) {
        if (const std::string problem = halvingProblem(search.base.config, search.combinations); !problem.empty())
            return refuse(QString::fromStdString(problem));
        search.halving.emplace(search.combinations, search.base.config.steps);
    }
    m_search = std::move(search);
    startNextSearchRun();
    return true;
}

void MainWindow::startNextSearchRun()
{
    // An earlier search with this tag may have finished some combinations: they are reused.
    std::vector<TaggedRun> finished;
    std::optional<RunStore> store;
    try {
        store.emplace(m_database.toStdString(), RunStore::Access::ReadOnly);
        finished = finishedRuns(*store, runsTagged(*store, m_search->tag));
    } catch (const std::exception&) {} // no store yet: nothing to reuse
    if (m_search->halving) {
        // Before its first run: an earlier halving search's finished runs reused, its interrupted
        // ones (cut, or stopped) continued from their checkpoints, as radapter search --halving does.
        if (m_search->halving->history().empty() && !m_search->job && store) {
            const auto projectOf = [this](size_t i) {
                Project p = m_search->base;
                for (const auto& [key, value] : m_search->combinations[i]) p.config.applySetting(key, value);
                return p;
            };
            const auto interrupted = interruptedRuns(*store, runsTagged(*store, m_search->tag));
            for (const TakenUp& t : takeUpEarlierRuns(*m_search->halving, *store, finished, interrupted, projectOf))
                if (!t.summary.idSet.empty()) m_search->idSet = t.summary.idSet; // what the cut messages name
        }
        return startNextHalvingRun();
    }
    for (;;) {
        if (m_search->runs.size() == m_search->combinations.size()) {
            // Bayesian: the last draw's runs have ended, so its score is known and the next is chosen.
            Search& s = *m_search;
            if (!s.bayes) break;
            if (s.bayes->waitingForScore()) s.bayes->recordLastDraw(s.runs);
            if (s.bayes->done()) break;
            try {
                for (SearchSettings& c : s.bayes->next()) s.combinations.push_back(std::move(c));
            } catch (const std::exception& e) {
                statusBar()->showMessage(QString::fromStdString(ra::userMessage(e)), 8000);
                break;
            }
        }
        const SearchSettings& settings = m_search->combinations[m_search->runs.size()];
        Project p = m_search->base;
        for (const auto& [key, value] : settings) p.config.applySetting(key, value);
        m_search->runs.push_back(SearchRun{settings, 0, false, -1, -1, 1});
        const auto earlier = store ? runOf(finished, p) : std::nullopt;
        if (!earlier) return launchTraining(p);
        recordSearchRun(*store, *earlier, RunStatus::Finished);
    }
    finishSearch(false);
}

void MainWindow::startNextHalvingRun()
{
    HalvingSearch& h = *m_search->halving;
    m_search->rungAccuracy = -1;
    while (!h.done()) {
        if (const auto job = h.next()) {
            m_search->job = job;
            Project p = m_search->base;
            for (const auto& [key, value] : m_search->combinations[job->combination]) p.config.applySetting(key, value);
            if (job->run > 0) return continueTraining(p, job->run, job->stopAfter);
            return launchTraining(p, job->stopAfter);
        }
        // The rung is done: the best third goes on; the others stay interrupted, saying why.
        const std::vector<HalvingSearch::Cut> cuts = h.endRung(m_search->idSet);
        try {
            RunStore store(m_database.toStdString(), RunStore::Access::ExistingReadWrite);
            for (const HalvingSearch::Cut& cut : cuts) store.setStatus(cut.run, RunStatus::Interrupted, cut.message);
        } catch (const std::exception& e) {
            statusBar()->showMessage(QString::fromStdString(ra::userMessage(e)), 8000);
        }
    }
    m_search->job.reset();
    m_search->runs = h.runs();
    finishSearch(false);
}

void MainWindow::recordSearchRun(const RunStore& store, qint64 runId, RunStatus status)
{
    SearchRun& run = m_search->runs.back();
    run.run = runId;
    run.finished = status == RunStatus::Finished;
    try {
        const RunSummary summary = summarizeRun(store, runId);
        run.idAccuracy = summary.lastId;
        run.oodAverage = summary.lastOod;
        run.alpha = summary.alpha;
        if (!summary.idSet.empty()) m_search->idSet = summary.idSet;
    } catch (const std::exception&) {} // unranked: it shows as a run without a result
}

void MainWindow::finishSearch(bool stopped)
{
    const Search search = std::move(*m_search);
    m_search.reset();
    updateActions();
    const std::vector<SearchGroup> ranked = rankSearch(search.runs);
    QString text = stopped ? tr("Search stopped after %1 of %2 runs.").arg(search.runs.size()).arg(search.planned)
        : search.runs.size() == 1 ? tr("Search done: 1 run.")
                                  : tr("Search done: %1 runs.").arg(search.runs.size());
    QList<qint64> best;
    if (!ranked.empty() && ranked.front().idMean >= 0) {
        text += tr(" Best by ID %1 accuracy: %2 (%3 %).")
                    .arg(search.idSet == "test" ? tr("test (the project has no validation set)") : tr("validation"))
                    .arg(QString::fromStdString(describeSettings(ranked.front().settings)))
                    .arg(100 * ranked.front().idMean, 0, 'f', 1);
        for (int64_t id : ranked.front().runs) best << id;
    }
    statusBar()->showMessage(text);
    // The search as a whole: its runs alone, as lines through their settings, the best selected.
    m_runs->refresh();
    m_runs->filter()->setText(QString::fromStdString(search.tag));
    m_runs->views()->setCurrentIndex(2);
    m_runs->selectRuns(best);
    m_tabs->setCurrentWidget(m_runs);
}

void MainWindow::onFinished(RunStatus status, const QString& message)
{
    if (m_search && m_search->job) {
        // A halving search: a run stopped at its rung (rungEvaluated came first) or trained to the
        // end goes into the bookkeeping; a cancel ends the search.
        m_training = false;
        m_eta->clear();
        HalvingSearch& h = *m_search->halving;
        const HalvingSearch::Job job = *m_search->job;
        RunSummary summary;
        try {
            summary = summarizeRun(RunStore(m_database.toStdString(), RunStore::Access::ReadOnly), job.run);
            if (!summary.idSet.empty()) m_search->idSet = summary.idSet;
        } catch (const std::exception&) {}
        const bool atRung = status == RunStatus::Interrupted && m_search->rungAccuracy >= 0;
        if (atRung) h.record(job.combination, job.run, false, m_search->rungAccuracy); // the worker stored it
        else if (status == RunStatus::Finished) h.record(job.combination, job.run, true, summary.lastId);
        else if (status == RunStatus::Failed) h.record(job.combination, job.run, false, -1); // not tried again
        if (job.run > 0) h.describe(job.combination, summary.lastId, summary.lastOod, summary.alpha);
        m_runs->refresh();
        if (status == RunStatus::Interrupted && !atRung) {
            m_search->job.reset();
            m_search->runs = h.runs();
            finishSearch(true);
        } else {
            startNextHalvingRun();
        }
        return;
    }
    if (m_search) {
        // A search goes on to its next combination without sweeping alpha; a cancel ends it.
        m_training = false;
        m_eta->clear();
        if (m_search->runs.back().run > 0) {
            try {
                recordSearchRun(RunStore(m_database.toStdString(), RunStore::Access::ReadOnly),
                                m_search->runs.back().run, status);
            } catch (const std::exception&) {}
        }
        m_runs->refresh();
        if (status == RunStatus::Interrupted) finishSearch(true);
        else startNextSearchRun();
        return;
    }
    m_training = false;
    m_hasTrainedRun = status == RunStatus::Finished || status == RunStatus::Interrupted;
    m_eta->clear();
    statusBar()->showMessage(tr("Run %1 %2%3")
                                 .arg(m_runId)
                                 .arg(QString::fromLatin1(runStatusName(status)),
                                      message.isEmpty() ? QString() : QStringLiteral(": ") + message),
                             8000);
    updateActions();
    m_runs->refresh();
    m_runs->selectRuns({m_runId});
    if (m_hasTrainedRun) {
        requestSweep();
        m_alpha->requestImagePredictions(); // the user's images, by this run
    } else if (status == RunStatus::Failed) warnFailure(message);
}

void MainWindow::warnFailure(const QString& message)
{
    if (isVisible() && !qEnvironmentVariableIsSet("RA_STUDIO_NO_DIALOGS"))
        QMessageBox::warning(this, tr("R-Adapter Studio"), message);
}

qint64 MainWindow::runToExport() const
{
    const qint64 selected = m_tabs->currentWidget() == m_runs ? m_runs->selectedExplorableRun() : 0;
    if (selected > 0) return selected;
    return m_hasTrainedRun ? m_runId : 0;
}

void MainWindow::showExportDialog()
{
    const qint64 run = runToExport();
    if (run <= 0 || m_training) return;
    if (run != m_runId || !m_hasTrainedRun) { // a stored run: open it, and ask once it is there
        if (refusedWhileBusy()) return;
        m_exportWhenOpened = run;
        exploreRun(run);
        return;
    }
    ExportDialog dialog(m_alpha->alpha(), this);
    dialog.setWindowTitle(tr("Export run %1").arg(m_runId));
    if (dialog.exec() == QDialog::Accepted)
        exportModel(dialog.alpha(), dialog.layout(), dialog.path(), dialog.adaptersOnly());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::showAbout()
{
    AboutDialog dialog(this);
    dialog.exec();
}

} // namespace ra::app
