#include "studio/trainingworker.h"

#include "demo/digitsshift.h"
#include "eval/alphagrid.h"
#include "store/runstore.h"
#include "train/runrecording.h"
#include "train/trainingsession.h"
#include "util/error.h"

#include <QFileInfo>
#include <QThread>

namespace ra::app {

TrainingWorker::TrainingWorker(QString databasePath) : m_databasePath(std::move(databasePath))
{
    qRegisterMetaType<ra::Project>();
    qRegisterMetaType<ra::TrainProgress>();
    qRegisterMetaType<AlphaPoint>();
    qRegisterMetaType<QVector<ra::app::AlphaPoint>>();
    qRegisterMetaType<AlphaDetail>();
    qRegisterMetaType<ra::DemoResult>();
    qRegisterMetaType<QVector<ra::app::AlphaDetail>>();
}

TrainingWorker::~TrainingWorker() = default;

void TrainingWorker::startTraining(const Project& project)
{
    // No exception may leave a slot: every failure becomes the failed signal.
    try {
        m_cancelled = false;
        m_paused = false;
        m_session.reset();
        m_session = std::make_unique<TrainingSession>(project);
        if (!m_store) {
            m_store = std::make_unique<RunStore>(m_databasePath.toStdString());
            m_store->markStaleRunsInterrupted();
        }
        const StartedRun run = startRun(*m_store, project, "studio", project.name);
        m_runId = run.id;
        const std::string& statePath = run.statePath;
        Q_EMIT started(m_runId, m_session->trainableParameterCount());
        const TrainOutcome outcome = m_session->train(
            [this](const TrainProgress& p) {
                while (m_paused && !m_cancelled) QThread::msleep(50);
                m_store->addMetrics(m_runId, p.step, p.elapsedSeconds, progressMetrics(p));
                Q_EMIT progress(p);
                return !m_cancelled.load();
            },
            statePath, false);
        if (outcome.status == RunStatus::Finished && !m_session->config().trains()) {
            // Zero-shot: one evaluation point so the curves are not empty.
            TrainProgress point;
            point.evaluated = true;
            for (const auto& [set, r] : m_session->evaluate(m_session->config().evalAlpha())) point.accuracy[set] = r.primary();
            Q_EMIT progress(point);
        }
        m_store->setStatus(m_runId, runStatusName(outcome.status), outcome.message);
        Q_EMIT trainingFinished(QString::fromLatin1(runStatusName(outcome.status)), QString::fromStdString(outcome.message));
    } catch (const std::exception& e) {
        if (m_store && m_runId) {
            try { m_store->setStatus(m_runId, "failed", ra::userMessage(e)); } catch (...) {}
        }
        Q_EMIT failed(QString::fromStdString(ra::userMessage(e)));
    }
}

AlphaDetail TrainingWorker::detailOf(double alpha, const std::string& set, const std::map<std::string, EvalResult>& results) const
{
    AlphaDetail d;
    d.alpha = alpha;
    d.set = QString::fromStdString(set);
    for (const auto& [name, r] : results) d.accuracy.insert(QString::fromStdString(name), r.primary());
    auto it = results.find(set);
    if (it != results.end() && !it->second.isRetrieval) {
        const auto& ds = m_session->dataset(set);
        for (const auto& c : ds.classNames) d.classNames << QString::fromStdString(c);
        for (const auto& s : ds.samples) {
            d.paths << QString::fromStdString(s.path);
            d.labels << s.label;
        }
        for (int p : it->second.classification.predictions) d.predictions << p;
        d.confusion = it->second.classification.confusion;
    }
    return d;
}

void TrainingWorker::sweep()
{
    try {
        if (!m_session) throw std::runtime_error("no trained run to sweep; train first.");
        const std::vector<double> grid = AlphaGrid::standard().values; // the CLI's and the demo's grid
        const int total = int(grid.size());
        // Coarse to fine (both ends, the middle, then halving the gaps), so the explorer has the
        // whole curve's shape after a few points and fills in the rest while the user looks.
        std::vector<int> order;
        std::vector<bool> queued(size_t(total), false);
        auto enqueue = [&](int i) {
            if (i >= 0 && i < total && !queued[size_t(i)]) { queued[size_t(i)] = true; order.push_back(i); }
        };
        enqueue(0);
        enqueue(total - 1);
        for (int gap = total - 1; gap > 1; gap = (gap + 1) / 2)
            for (int i = 0; i < total; i += gap) enqueue(i + gap / 2);
        for (int i = 0; i < total; ++i) enqueue(i);

        std::map<int, AlphaPoint> points;
        std::map<int, AlphaDetail> details;
        std::vector<AlphaEvaluation> stored;
        const std::string idSet = m_session->idSetName();
        Q_EMIT sweepProgress(0, total);
        for (int i : order) {
            AlphaPoint p;
            p.alpha = grid[size_t(i)];
            const auto results = m_session->evaluate(p.alpha);
            for (const auto& [set, r] : results) {
                p.accuracy.insert(QString::fromStdString(set), r.primary());
                for (const auto& [metric, value] : r.metrics()) stored.push_back({p.alpha, set, metric, value});
            }
            points[i] = p;
            details[i] = detailOf(p.alpha, idSet, results);
            QVector<AlphaPoint> sortedPoints;
            QVector<AlphaDetail> sortedDetails;
            for (const auto& [index, point] : points) sortedPoints.push_back(point);
            for (const auto& [index, detail] : details) sortedDetails.push_back(detail);
            const bool complete = points.size() == size_t(total);
            Q_EMIT sweepProgress(int(points.size()), total);
            if (complete) {
                if (m_store && m_runId) m_store->addAlphaEvaluations(m_runId, stored);
                Q_EMIT sweepReady(sortedPoints, sortedDetails, QString::fromStdString(idSet));
            } else {
                Q_EMIT sweepPartial(sortedPoints, sortedDetails, QString::fromStdString(idSet));
            }
        }
    } catch (const std::exception& e) {
        Q_EMIT failed(QString::fromStdString(ra::userMessage(e)));
    }
}

void TrainingWorker::evaluateAlpha(double alpha, const QString& detailSet)
{
    try {
        if (!m_session) throw std::runtime_error("no trained run to evaluate; train first.");
        const std::string set = detailSet.isEmpty() ? m_session->idSetName() : detailSet.toStdString();
        // Only the detail set: the other sets' numbers come from the sweep.
        Q_EMIT alphaEvaluated(detailOf(alpha, set, m_session->evaluate(alpha, {set})));
    } catch (const std::exception& e) {
        Q_EMIT failed(QString::fromStdString(ra::userMessage(e)));
    }
}

void TrainingWorker::exportModel(double alpha, const QString& layout, const QString& path, bool adaptersOnly)
{
    try {
        if (!m_session) throw std::runtime_error("no trained run to export; train first.");
        // The file dialog asked before replacing an existing file (force), but the run's own
        // inputs and the store are refused as they are in `radapter export`.
        if (m_store && m_runId)
            checkRunExportTarget(*m_store, m_runId, path.toStdString(), !adaptersOnly && layout == QLatin1String("hf"), true);
        if (adaptersOnly) m_session->exportAdapters(path.toStdString());
        else m_session->exportMerged(alpha, layout.toStdString(), path.toStdString());
        if (m_store && m_runId) m_store->addArtifact(m_runId, adaptersOnly ? "adapters" : ("merged-" + layout.toStdString()), path.toStdString());
        Q_EMIT exported(path);
    } catch (const std::exception& e) {
        Q_EMIT failed(QString::fromStdString(ra::userMessage(e)));
    }
}

void TrainingWorker::prepareDemoData(const QString& dataDir)
{
    try {
        prepareDigitsShift(dataDir.toStdString());
        Q_EMIT demoDataReady(dataDir);
    } catch (const std::exception& e) {
        Q_EMIT failed(QString::fromStdString(ra::userMessage(e)));
    }
}

void TrainingWorker::runDemoComparison(const QString& projectPath, qint64 seed, int steps, int evalLimit)
{
    try {
        DemoOptions o;
        o.projectPath = projectPath.toStdString();
        o.dataDir = (QFileInfo(projectPath).absolutePath() + QStringLiteral("/data")).toStdString();
        o.seed = uint64_t(seed);
        o.steps = steps;
        o.evalLimit = evalLimit;
        const DemoResult r = runDemo(o, [this](const std::string& line) { Q_EMIT demoLog(QString::fromStdString(line)); });
        Q_EMIT demoFinished(r);
    } catch (const std::exception& e) {
        Q_EMIT failed(QString::fromStdString(ra::userMessage(e)));
    }
}

} // namespace ra::app
