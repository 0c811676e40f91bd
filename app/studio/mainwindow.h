#pragma once
// The Studio's main window: project and model panel (left), hyper-parameters (right), and the
// Training, Alpha explorer and Runs views in the centre; run controls in the toolbar; progress and
// ETA in the status bar. All libtorch work happens in the TrainingWorker's thread.
#include "config/bayessearch.h"
#include "config/halvingsearch.h"
#include "config/searchgrid.h"
#include "project/project.h"
#include "studio/latestrequest.h"
#include "studio/trainingworker.h"

#include <QMainWindow>
#include <optional>
#include <utility>

class QAction;
class QDockWidget;
class QLabel;
class QProgressBar;
class QTabWidget;
class QThread;
class QToolBar;

class QCustomPlot;

namespace ra::widgets {
class CurvePlot;
class HyperParameterForm;
} // namespace ra::widgets

namespace ra::app {

class AlphaExplorer;
class DemoComparisonView;
class TrainingSamplesDialog;
class ModelLoader;
class ProjectPanel;
class RunsBrowser;
struct ModelSummary;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // DATABASE: the run store (RunStore::defaultPath() when empty).
    explicit MainWindow(const QString& database = QString(), QWidget* parent = nullptr);
    ~MainWindow() override;

    bool openProject(const QString& path, QString* error = nullptr);
    void openCheckpoint(const QString& path);
    void newProject();
    // Writes the open project, with the hyper-parameters as the form shows them, to PATH.
    bool saveProjectAs(const QString& path, QString* error = nullptr);
    void startTraining();
    // Run ▸ Search…: every combination of AXES' values trained in turn from the form's settings,
    // each run tagged TAG, no alpha sweep between them (a combination an earlier search with TAG
    // finished is reused, not trained again); at the end the runs browser shows the
    // search (filtered by TAG, Parallel in front) with the best combination by ID validation
    // selected. Cancel stops the run in progress and the search. False with ERROR when the search
    // cannot run (a value out of range, the form invalid, something else running).
    bool startSearch(const SearchSpec& spec, const QString& tag, QString* error = nullptr);
    bool isSearching() const { return m_search.has_value(); }
    // A stored run from the runs browser: EXPLORE opens it in the alpha explorer (sweeps it, and
    // Export and Evaluate on apply to it); RESUME trains an interrupted run on, its stored curves
    // drawn first. Refused with a status message while something else runs.
    void exploreRun(qint64 runId);
    void resumeRun(qint64 runId);
    // Runs `radapter demo`'s comparison in the worker and shows it in the Demo comparison tab
    // (STEPS -1: the demo project's; EVAL_LIMIT > 0: that many images per evaluation set).
    void runDemoComparison(int steps = -1, int evalLimit = 0);
    // The Demo comparison tab's Open Results…: what `radapter demo --json` wrote at PATHS, shown
    // without training — one seed's result as it is; several (several files, or a `--seeds` file) as
    // the README's table, each cell's mean ± std over them. False with ERROR naming the file that is
    // not a result, or saying why the results cannot be averaged.
    bool openDemoResults(const QStringList& paths, QString* error = nullptr);
    // Where the last comparison run here is kept, beside the run store (shown again on every start).
    QString lastDemoResultPath() const;
    void togglePause();
    // Stops what runs: training (kept as an interrupted run), the alpha sweep or the demo comparison.
    void cancelOperation();
    void requestSweep();
    // Run > Evaluate on…: the trained run on new data at PATH (a dataset folder or CSV), stored with
    // the run as OOD set NAME (default: the folder's or file's name); the explorer then includes it.
    void evaluateOn(const QString& path, const QString& name = {});
    void exportModel(double alpha, const QString& layout, const QString& path, bool adaptersOnly);
    // The run File ▸ Export Model applies to: with the runs browser in front, its one selected
    // finished or interrupted run (opened first, then the dialog shows); elsewhere the run open in
    // the explorer. 0: none.
    qint64 runToExport() const;
    void showExportDialog();
    // Opens the bundled demo project, preparing its data in the worker first when needed.
    void openDemoProject();
    static QString demoProjectPath();

    // For tests and screenshots.
    ProjectPanel* projectPanel() const { return m_projectPanel; }
    widgets::HyperParameterForm* hyperParameters() const { return m_form; }
    widgets::CurvePlot* lossPlot() const { return m_lossPlot; }
    widgets::CurvePlot* accuracyPlot() const { return m_accuracyPlot; }
    AlphaExplorer* alphaExplorer() const { return m_alpha; }
    RunsBrowser* runsBrowser() const { return m_runs; }
    DemoComparisonView* demoComparison() const { return m_demo; }
    TrainingWorker* worker() const { return m_worker; }
    // File ▸ Export Plot's plot: the one of the view in front, and a file name for it.
    std::pair<QCustomPlot*, QString> plotInView() const;
    ModelLoader* modelLoader() const { return m_loader; }
    QTabWidget* tabs() const { return m_tabs; }
    QAction* darkThemeAction() const { return m_darkThemeAction; }
    QAction* exportAction() const { return m_exportAction; }
    // View ▸ Reset Layout: both panels docked and shown where a first start puts them, the
    // toolbar on top.
    void resetLayout();
    QAction* logitAxesAction() const { return m_logitAxesAction; }
    // Run ▸ Show Training Samples: the dialog (made on first use) and asking for step STEP.
    void showTrainingSamples(int step = 0);
    TrainingSamplesDialog* trainingSamplesDialog() const { return m_samplesDialog; }
    QProgressBar* progressBar() const { return m_progress; }
    bool isTraining() const { return m_training; }
    bool isBusy() const { return m_training || m_sweeping || m_demoRunning; } // training, sweeping or the demo
    const std::optional<Project>& project() const { return m_project; }

Q_SIGNALS:
    void projectOpened(const QString& path);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    static QString demoResultsFolder();
    void showLastDemoResult();
    void buildActions();
    void buildDocks();
    QRect availableRoom() const; // of the window's screen
    // On a screen too narrow for three columns, the form becomes a tab beside the project panel.
    void fitDocksToScreen();
    void updateActions();
    void addRecentProject(const QString& path);
    void onProgress(const ra::TrainProgress& p);
    void onFinished(ra::RunStatus status, const QString& message);
    // The window's state and views for a run of P about to train (new or resumed).
    void beginTraining(const Project& p);
    // A new run of P: its state and views (beginTraining), cleared curves, then the worker trains
    // (STOP_AFTER > 0: to that step, a halving rung).
    void launchTraining(const Project& p, int stopAfter = 0);
    // Stored run RUNID of P trained on from its checkpoint (STOP_AFTER as launchTraining's).
    void continueTraining(const Project& p, qint64 runId, int stopAfter = 0);
    // A halving search's next run, or its next rung, or its end.
    void startNextHalvingRun();
    // Names the alpha explorer's next curve after the run's method; a run of another project
    // (PROJECT_PATH) than the last one clears the earlier runs' curves from the plane.
    void nameRunCurve(const QString& projectPath, Method method);
    // True, with a status message, while training, a sweep or the demo runs (a stored run waits).
    bool refusedWhileBusy();
    // Draws run RUNID's stored loss and accuracy history on the training plots (a resumed run, a
    // run opened in the alpha explorer), early stopping's kept step marked.
    void drawStoredCurves(qint64 runId);
    // The accuracy plot's y label for a run of C: the alpha its curves are evaluated at.
    void labelAccuracyAxis(const TrainConfig& c);
    // A failure's message box (unless hidden or RA_STUDIO_NO_DIALOGS is set, as in tests).
    void warnFailure(const QString& message);
    void showSearchDialog();
    void showAbout();
    // The search's next combination, started as a run; or, when none is left (or it was
    // cancelled), its end: the ranking and the runs browser.
    void startNextSearchRun();
    // The search's last started combination ran as RUN_ID and ended with STATUS: its result.
    void recordSearchRun(const RunStore& store, qint64 runId, RunStatus status);
    void finishSearch(bool stopped);

    QString m_database;
    QThread* m_thread;
    TrainingWorker* m_worker;
    ModelLoader* m_loader;
    ProjectPanel* m_projectPanel;
    widgets::HyperParameterForm* m_form;
    widgets::CurvePlot* m_lossPlot;
    widgets::CurvePlot* m_accuracyPlot;
    AlphaExplorer* m_alpha;
    RunsBrowser* m_runs;
    DemoComparisonView* m_demo;
    QTabWidget* m_tabs;
    QProgressBar* m_progress;
    QLabel* m_eta;
    QAction* m_startAction = nullptr;
    QAction* m_pauseAction = nullptr;
    QAction* m_cancelAction = nullptr;
    QAction* m_exportAction = nullptr;
    QDockWidget* m_projectDock = nullptr; // left: the project, model and data
    QDockWidget* m_formDock = nullptr;    // right: the hyper-parameters
    QToolBar* m_runToolBar = nullptr;
    QAction* m_evaluateOnAction = nullptr;
    QAction* m_sweepAction = nullptr;
    QAction* m_darkThemeAction = nullptr;
    QAction* m_logitAxesAction = nullptr;
    TrainingSamplesDialog* m_samplesDialog = nullptr;
    QAction* m_saveAction = nullptr;
    QMenu* m_recentMenu = nullptr;
    std::optional<Project> m_project;
    bool m_training = false;
    bool m_hasTrainedRun = false;
    int m_lastEvaluatedStep = -1; // of the training plots' run: its last point on the accuracy curves
    bool m_demoRunning = false;
    bool m_sweeping = false;
    qint64 m_runId = 0;
    qint64 m_exportWhenOpened = 0; // Export Model asked for this stored run: the dialog once it is open
    QString m_runProject;          // the project path of the run the explorer shows
    LatestRequest m_imageRequests; // the user's images' predictions
    LatestRequest m_mapRequests;   // embedding maps
    QString m_lastCheckpoint;      // the last checkpoint opened that loaded
    QString m_pendingCheckpoint;   // opened, still loading
    QAction* m_searchAction = nullptr;
    struct Search {
        Project base; // the form's settings when it started
        std::string tag;
        std::vector<SearchSettings> combinations; // Bayesian: the draws so far, each crossed with the grid
        size_t planned = 0;                       // the runs it will train
        std::vector<SearchRun> runs;              // one per started combination, in order
        std::string idSet;                        // what the ranking's ID accuracy is of: "val", or "test" without one
        // Successive halving: its bookkeeping, the run in training and its accuracy at the rung.
        std::optional<HalvingSearch> halving;
        std::optional<HalvingSearch::Job> job;
        double rungAccuracy = -1;
        std::optional<BayesSearch> bayes; // Bayesian: its draws
    };
    std::optional<Search> m_search;
};

} // namespace ra::app
