#pragma once
// The worker that owns every libtorch object of the Studio: it lives on its own QThread, builds
// the TrainingSession, trains, sweeps alpha, evaluates and exports. Requests arrive as queued
// calls; results leave as queued signals carrying small value types. Pause and cancel are atomic
// flags the GUI sets directly (the worker's event loop is busy while it trains).
#include "demo/demorunner.h"
#include "studio/alphasweepdata.h"
#include "studio/trainingsamplepreview.h"
#include "project/project.h"
#include "train/runrecording.h"
#include "train/trainingsession.h"

#include <QMap>
#include <QObject>
#include <QVector>

#include <atomic>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <memory>
#include <optional>

namespace ra {
class TrainingSession;
class RunStore;
} // namespace ra

namespace ra::app {

class TrainingWorker : public QObject {
    Q_OBJECT
public:
    explicit TrainingWorker(QString databasePath);
    ~TrainingWorker() override;

    // The job a failed signal belongs to, so the window ends only that job's state: a late
    // failure of an earlier job (a queued signal) must not end a sweep or a demo that runs now.
    enum class Job {
        EvaluateOn,
        Sweep,
        AlphaDetail,
        Export,
        DemoData,
        DemoComparison,
        OpenRun,
        ClassifyImages,
        EmbeddingMap,
        TrainingSamples
    };
    Q_ENUM(Job)

    // Thread-safe, called from the GUI thread.
    void setPaused(bool paused) { m_paused = paused; }
    // Stops the operation in progress — training (kept as interrupted), a sweep, a demo
    // comparison — within about one training step or evaluation chunk. The next request runs.
    void cancel() { m_cancelled = true; }
    // Stops whatever runs now and everything queued after it: the window is closing.
    void shutDown() { m_shuttingDown = true; }
    bool isPaused() const { return m_paused; }

public Q_SLOTS:
    // STOP_AFTER > 0 (a successive-halving rung): stops after that step, kept as interrupted, and
    // reports the ID accuracy there (rungEvaluated) before trainingFinished.
    void startTraining(const ra::Project& project, int stopAfter = 0);
    // Trains the interrupted (or failed) stored run RUNID on from its checkpoint, as
    // `radapter train --resume` does; it ends in trainingFinished like startTraining.
    void resumeTraining(qint64 runId, int stopAfter = 0);
    // Makes stored run RUNID the worker's run (its trained state loaded), for the sweeps,
    // evaluations and exports that follow: runOpened, or failed(OpenRun).
    void openRun(qint64 runId);
    // Evaluates every alpha of AlphaGrid::standard() (0, 0.1, ..., 1.5), coarse to fine.
    void sweep();
    // Adds the OOD set NAME (data at PATH) to the trained run, evaluates it at the run's alpha,
    // stores it with the run (as `radapter eval` does) and sweeps again, so the explorer shows it.
    void evaluateOn(const QString& name, const QString& path);
    // Predictions and confusion matrix of DETAILSET (default: the ID set) at ALPHA.
    void evaluateAlpha(double alpha, const QString& detailSet);
    void exportModel(double alpha, const QString& layout, const QString& path, bool adaptersOnly);
    // The images at PATHS classified by the run at alpha 0, ALPHA and 1: imagesClassified, or
    // failed(ClassifyImages) (an empty message when stopped).
    void classifyImages(const QStringList& paths, double alpha);
    // The embedding map of evaluation set SET at alpha 0 and ALPHA, on the principal plane or
    // (TSNE) laid out by t-SNE — of a retrieval run, its images and their captions, each pair
    // joined by a line: embeddingsMapped, or failed(EmbeddingMap) (an empty message when stopped).
    void mapEmbeddings(const QString& set, double alpha, bool tsne = false);
    // The first COUNT samples of training step STEP of PROJECT as it is set now (a session of its
    // own, not the trained one): trainingSamplesReady, or failed(TrainingSamples).
    void previewTrainingSamples(const ra::Project& project, int step, int count);
    void prepareDemoData(const QString& dataDir);
    // `radapter demo` in the worker: STEPS -1 uses the project's; EVAL_LIMIT > 0 evaluates that
    // many images per set (tests). Blocks the worker for minutes.
    void runDemoComparison(const QString& projectPath, qint64 seed, int steps, int evalLimit = 0);

Q_SIGNALS:
    void started(qint64 runId, qint64 trainableParameters);
    // openRun's run: its method (methodName) and the path of the project it was trained from.
    void runOpened(qint64 runId, const QString& method, const QString& projectPath);
    void progress(const ra::TrainProgress& point);
    // The one end of every startTraining, failures included (status Failed, the message says why).
    void trainingFinished(ra::RunStatus status, const QString& message);
    // Training stopped at its STOP_AFTER step (STEP): the ID set's (ID_SET: "val", else "test")
    // accuracy there, at the run's alpha.
    void rungEvaluated(const QString& idSet, double idAccuracy, int step);
    // Training holds after step STEP while paused, and goes on (or stops when cancelled).
    void pauseEntered(int step);
    void pauseLeft(int step);
    // POINTS: every set's accuracy per alpha; DETAILS: the ID set's predictions and confusion
    // matrix per alpha (empty for retrieval), so the explorer's every view is exact by lookup;
    // IDSET: the session's ID set, the one the details describe.
    void sweepReady(const QVector<ra::app::AlphaPoint>& points, const QVector<ra::app::AlphaDetail>& details,
                    const QString& idSet);
    // The points swept so far (sorted by alpha), while a sweep runs; sweepReady ends it.
    void sweepPartial(const QVector<ra::app::AlphaPoint>& points, const QVector<ra::app::AlphaDetail>& details,
                      const QString& idSet);
    void sweepProgress(int done, int total);
    void sweepStopped();                                          // cancelled before every point was evaluated
    void evaluationSetAdded(const QString& name, double primary); // evaluateOn's set, at the run's alpha
    void alphaEvaluated(const ra::app::AlphaDetail& detail);
    void imagesClassified(const ra::app::ImagePredictions& predictions);
    void embeddingsMapped(const ra::app::EmbeddingMap& map);
    void trainingSamplesReady(const ra::app::TrainingSamplePreview& preview);
    // An evaluation set's files, labels and class names, sent once per trained session before
    // the first detail about that set.
    void setSamples(const ra::app::EvalSetSamples& samples);
    // HEAD_PATH: where a fine-tuned classification head went beside the model (empty: none).
    void exported(const QString& path, const QString& headPath);
    void demoDataReady(const QString& dataDir);
    void demoLog(const QString& line);
    void demoFinished(const ra::DemoResult& result);
    void demoStopped();                                                    // cancelled
    void failed(ra::app::TrainingWorker::Job job, const QString& message); // any job but training (one sentence)

private:
    void mapCaptionPairs(const QString& set, double alpha, bool tsne); // mapEmbeddings's, for retrieval
    // startTraining's and resumeTraining's common part: opens the store, makes the session of
    // PROJECT, records the run with RECORD (a new one or a resumed one) and trains it.
    void train(const Project& project, const std::function<RunRecorder(RunStore&)>& record, bool resume, int stopAfter);
    RunStore& store();
    // The predictions and confusion matrix of SET from RESULTS, one evaluation at ALPHA.
    AlphaDetail detailOf(double alpha, const std::string& set, const std::map<std::string, EvalResult>& results);

    bool stopRequested() const;

    QString m_databasePath;
    std::set<std::string> m_samplesSent; // sets whose EvalSetSamples the explorer has
    // The user's images' guesses by alpha and path, for m_session's weights (cleared with it):
    // alpha 0 and 1 are asked again at every slider move.
    std::map<double, std::map<QString, QVector<ImagePredictions::Guess>>> m_guessCache;
    // Each set's embeddings at alpha 0 (every map's left half), for m_session's weights, and
    // their t-SNE layout (the start of every other alpha's: the panels begin aligned).
    std::map<std::string, SetEmbeddings> m_zeroShotEmbeddings;
    std::map<std::string, FloatMatrix> m_zeroShotLayouts;
    // The last map's other alpha: the explorer may ask for the same map again while the first
    // request is computed (the slider's release and its rest), and then it costs nothing.
    struct LastMapped {
        std::string set;
        double alpha = -1;
        SetEmbeddings embeddings;
    };
    LastMapped m_lastMapped;
    // Forgets what was computed for the previous session's weights.
    void forgetSessionResults();
    std::unique_ptr<TrainingSession> m_session;
    std::unique_ptr<RunStore> m_store;
    std::optional<RunRecorder> m_recorder; // the run m_session trained
    std::atomic<bool> m_paused{false};
    std::atomic<bool> m_cancelled{false};
    std::atomic<bool> m_shuttingDown{false};
};

} // namespace ra::app

Q_DECLARE_METATYPE(ra::Project)
Q_DECLARE_METATYPE(ra::RunStatus)
Q_DECLARE_METATYPE(ra::DemoResult)
Q_DECLARE_METATYPE(ra::TrainProgress)
