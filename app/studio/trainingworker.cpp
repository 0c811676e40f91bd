#include "studio/trainingworker.h"

#include "demo/digitsshift.h"
#include "eval/alphagrid.h"
#include "eval/embeddingmap.h"
#include "eval/tsne.h"
#include "store/runstore.h"
#include "train/alphasweep.h"
#include "train/runrecording.h"
#include "train/trainingsession.h"
#include "util/error.h"

#include <QFileInfo>
#include <QImage>
#include <QThread>

#include <algorithm>

namespace ra::app {
namespace {

QVector<QPointF> toPoints(const FloatMatrix& m)
{
    QVector<QPointF> v;
    for (int64_t i = 0; i < m.rows; ++i) v.push_back({m.at(i, 0), m.at(i, 1)});
    return v;
}

// Where each of CLASSES names goes on a t-SNE layout: above its POINTS (LABELS: each point's
// class), at their centre across (on them it would hide a cluster t-SNE drew tight); not finite
// for a class none of whose points is shown.
QVector<QPointF> namesAboveClusters(const QVector<QPointF>& points, const QVector<int>& labels, int classes)
{
    QVector<QPointF> names(classes, QPointF(0, -std::numeric_limits<double>::infinity()));
    QVector<int> counts(classes);
    for (int i = 0; i < points.size(); ++i) {
        const int c = labels.value(i, -1);
        if (c < 0 || c >= classes) continue;
        names[c].rx() += points[i].x();
        names[c].ry() = std::max(names[c].y(), points[i].y());
        ++counts[c];
    }
    for (int c = 0; c < classes; ++c)
        names[c] = counts[c] > 0 ? QPointF(names[c].x() / counts[c], names[c].y()) : QPointF(qQNaN(), qQNaN());
    return names;
}

// ROWS of A, then of B, as one matrix (the same columns).
FloatMatrix stacked(const FloatMatrix& a, const FloatMatrix& b)
{
    FloatMatrix out{a.rows + b.rows, a.cols, a.data};
    out.data.insert(out.data.end(), b.data.begin(), b.data.end());
    return out;
}

} // namespace

TrainingWorker::TrainingWorker(QString databasePath) : m_databasePath(std::move(databasePath))
{
    qRegisterMetaType<ra::Project>();
    qRegisterMetaType<ra::RunStatus>();
    qRegisterMetaType<ra::TrainProgress>();
    qRegisterMetaType<AlphaPoint>();
    qRegisterMetaType<QVector<ra::app::AlphaPoint>>();
    qRegisterMetaType<AlphaDetail>();
    qRegisterMetaType<EvalSetSamples>();
    qRegisterMetaType<ra::DemoResult>();
    qRegisterMetaType<QVector<ra::app::AlphaDetail>>();
    qRegisterMetaType<ra::app::ImagePredictions>();
    qRegisterMetaType<ra::app::EmbeddingMap>();
    qRegisterMetaType<ra::app::TrainingSamplePreview>();
}

TrainingWorker::~TrainingWorker() = default;

bool TrainingWorker::stopRequested() const { return m_cancelled.load() || m_shuttingDown.load(); }

RunStore& TrainingWorker::store()
{
    if (!m_store) {
        m_store = std::make_unique<RunStore>(m_databasePath.toStdString());
        m_store->markStaleRunsInterrupted();
    }
    return *m_store;
}

void TrainingWorker::startTraining(const Project& project, int stopAfter)
{
    train(
        project, [&](RunStore& s) { return RunRecorder::start(s, project, "studio", project.name); }, false, stopAfter);
}

void TrainingWorker::resumeTraining(qint64 runId, int stopAfter)
{
    Project project;
    try {
        project = RunRecorder::resumableProject(store(), runId); // refuses a finished or a training run
    } catch (const std::exception& e) {
        Q_EMIT trainingFinished(RunStatus::Failed, QString::fromStdString(ra::userMessage(e)));
        return;
    }
    train(
        project, [runId](RunStore& s) { return RunRecorder::resume(s, runId); }, true, stopAfter);
}

void TrainingWorker::train(const Project& project, const std::function<RunRecorder(RunStore&)>& record, bool resume,
                           int stopAfter)
{
    // No exception may leave a slot: every failure becomes the failed signal.
    try {
        m_cancelled = false;
        m_paused = false;
        m_recorder.reset();
        m_session.reset();
        forgetSessionResults();
        m_session = std::make_unique<TrainingSession>(project);
        m_session->setStopCheck([this] { return stopRequested(); });
        m_recorder.emplace(record(store()));
        Q_EMIT started(m_recorder->id(), m_session->trainableParameterCount());
        const TrainOutcome outcome = m_session->train(
            [this](const TrainProgress& p) {
                if (m_paused && !stopRequested()) {
                    Q_EMIT pauseEntered(p.step); // between steps: nothing runs until resumed
                    while (m_paused && !stopRequested()) QThread::msleep(50);
                    Q_EMIT pauseLeft(p.step);
                }
                m_recorder->progress(p);
                Q_EMIT progress(p);
                return !stopRequested();
            },
            m_recorder->statePath(), resume, stopAfter);
        const auto results = m_recorder->finish(*m_session, outcome);
        if (outcome.status == RunStatus::Interrupted && stopAfter > 0 && !stopRequested()) {
            // At a halving rung: what the search chooses on, as radapter search --halving does.
            const double score = m_recorder->rungScore(*m_session, stopAfter);
            Q_EMIT rungEvaluated(QString::fromStdString(m_session->idSetName()), score, stopAfter);
        }
        if (outcome.status == RunStatus::Finished && !m_session->config().trains()) {
            // Zero-shot: its one evaluation is the curves' only point.
            TrainProgress point;
            point.evaluated = true;
            for (const auto& [set, r] : results) point.accuracy[set] = r.primary();
            Q_EMIT progress(point);
        }
        Q_EMIT trainingFinished(outcome.status, QString::fromStdString(outcome.message));
    } catch (const Cancelled&) {
        Q_EMIT trainingFinished(RunStatus::Interrupted, QStringLiteral("stopped"));
    } catch (const std::exception& e) {
        // As trainingFinished, not failed: only the training's own signal ends the window's
        // training state, so a failure of an earlier job that arrives late cannot end it.
        const std::string message = ra::userMessage(e);
        if (m_recorder) m_recorder->fail(message);
        Q_EMIT trainingFinished(RunStatus::Failed, QString::fromStdString(message));
    }
}

void TrainingWorker::openRun(qint64 runId)
{
    try {
        m_cancelled = false;
        // The run open before stays until this one has loaded: a run that cannot be opened
        // leaves the explorer and the export with the one they had.
        auto session = openStoredRun(store(), runId);
        session->setStopCheck([this] { return stopRequested(); });
        m_session = std::move(session);
        m_recorder.emplace(store(), runId);
        forgetSessionResults();
        Q_EMIT runOpened(runId, QString::fromStdString(methodName(m_session->config().method)),
                         QString::fromStdString(m_session->project().path));
    } catch (const std::exception& e) {
        Q_EMIT failed(Job::OpenRun, QString::fromStdString(ra::userMessage(e)));
    }
}

AlphaDetail TrainingWorker::detailOf(double alpha, const std::string& set,
                                     const std::map<std::string, EvalResult>& results)
{
    AlphaDetail d;
    d.alpha = alpha;
    d.set = QString::fromStdString(set);
    for (const auto& [name, r] : results) d.accuracy.insert(QString::fromStdString(name), r.primary());
    auto it = results.find(set);
    if (it != results.end() && !it->second.isRetrieval) {
        if (m_samplesSent.insert(set).second) { // once per session: queued before the detail, so it arrives first
            EvalSetSamples samples;
            samples.set = d.set;
            const auto& ds = m_session->dataset(set);
            for (const auto& c : ds.classNames) samples.classNames << QString::fromStdString(c);
            for (const auto& s : ds.samples) {
                samples.paths << QString::fromStdString(s.path);
                samples.labels << s.label;
            }
            Q_EMIT setSamples(samples);
        }
        for (int p : it->second.classification.predictions) d.predictions << p;
        d.confusion = it->second.classification.confusion;
    }
    return d;
}

void TrainingWorker::evaluateOn(const QString& name, const QString& path)
{
    try {
        if (!m_session || !m_recorder) throw std::runtime_error("no trained run to evaluate; train first.");
        m_cancelled = false;
        const std::string set = name.toStdString(), data = QFileInfo(path).absoluteFilePath().toStdString();
        const EvalResult result = m_recorder->addEvaluationSet(*m_session, set, data, m_session->config().evalAlpha());
        Q_EMIT evaluationSetAdded(name, result.primary());
    } catch (const Cancelled&) {
        Q_EMIT sweepStopped();
        return;
    } catch (const std::exception& e) {
        Q_EMIT failed(Job::EvaluateOn, QString::fromStdString(ra::userMessage(e)));
        return;
    }
    sweep();
}

void TrainingWorker::sweep()
{
    try {
        if (!m_session) throw std::runtime_error("no trained run to sweep; train first.");
        m_cancelled = false;
        const AlphaGrid grid = AlphaGrid::standard(); // the CLI's and the demo's grid
        const int total = int(grid.values.size());
        std::map<double, AlphaPoint> points; // by alpha: the explorer wants them sorted
        std::map<double, AlphaDetail> details;
        const std::string idSet = m_session->idSetName();
        const QString idSetName = QString::fromStdString(idSet);
        Q_EMIT sweepProgress(0, total);
        // Coarse to fine, so the explorer has the whole curve's shape after a few points.
        const bool complete = sweepAlpha(*m_session, grid.coarseToFine(),
                                         [&](double alpha, const std::map<std::string, EvalResult>& results) {
                                             if (m_recorder) m_recorder->alphaPoint(alpha, results);
                                             AlphaPoint& p = points[alpha];
                                             p.alpha = alpha;
                                             for (const auto& [set, r] : results)
                                                 p.accuracy.insert(QString::fromStdString(set), r.primary());
                                             details[alpha] = detailOf(alpha, idSet, results);
                                             QVector<AlphaPoint> sortedPoints;
                                             QVector<AlphaDetail> sortedDetails;
                                             for (const auto& [a, point] : points) sortedPoints.push_back(point);
                                             for (const auto& [a, detail] : details) sortedDetails.push_back(detail);
                                             Q_EMIT sweepProgress(int(points.size()), total);
                                             if (int(points.size()) == total)
                                                 Q_EMIT sweepReady(sortedPoints, sortedDetails, idSetName);
                                             else Q_EMIT sweepPartial(sortedPoints, sortedDetails, idSetName);
                                             return !stopRequested();
                                         });
        if (!complete) Q_EMIT sweepStopped();
    } catch (const Cancelled&) {
        Q_EMIT sweepStopped();
    } catch (const std::exception& e) {
        Q_EMIT failed(Job::Sweep, QString::fromStdString(ra::userMessage(e)));
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
        Q_EMIT failed(Job::AlphaDetail, QString::fromStdString(ra::userMessage(e)));
    }
}

void TrainingWorker::exportModel(double alpha, const QString& layout, const QString& path, bool adaptersOnly)
{
    try {
        if (!m_session) throw std::runtime_error("no trained run to export; train first.");
        // The file dialog asked before replacing an existing file (force), but the run's own
        // inputs and the store are refused as they are in `radapter export`.
        if (m_recorder)
            checkRunExportTarget(*m_store, m_recorder->id(), path.toStdString(),
                                 !adaptersOnly && layout == QLatin1String("hf"), true);
        if (adaptersOnly) m_session->exportAdapters(path.toStdString());
        else m_session->exportMerged(alpha, layout.toStdString(), path.toStdString());
        const QString head = !adaptersOnly && trainsClassificationHead(m_session->config().method)
            ? QString::fromStdString(classificationHeadPath(path.toStdString(), layout == QLatin1String("hf")))
            : QString();
        if (m_recorder) {
            m_recorder->exported(adaptersOnly ? "adapters" : ("merged-" + layout.toStdString()), path.toStdString());
            if (!head.isEmpty()) m_recorder->exported("classification-head", head.toStdString());
        }
        Q_EMIT exported(path, head);
    } catch (const std::exception& e) {
        Q_EMIT failed(Job::Export, QString::fromStdString(ra::userMessage(e)));
    }
}

void TrainingWorker::classifyImages(const QStringList& paths, double alpha)
{
    try {
        if (!m_session) throw std::runtime_error("no trained run to classify with; train or open one first.");
        m_cancelled = false;
        ImagePredictions out;
        out.paths = paths;
        if (m_session->isRetrieval()) { // a retrieval run has no classes: no columns of guesses
            Q_EMIT imagesClassified(out);
            return;
        }
        out.alphas = alpha == 0 || alpha == 1 ? QVector<double>{0, 1} : QVector<double>{0, alpha, 1};
        for (const auto& c : m_session->classNames()) out.classNames << QString::fromStdString(c);
        for (double a : out.alphas) {
            auto& known = m_guessCache[a];
            std::vector<std::string> missing;
            for (const QString& p : paths)
                if (!known.count(p)) missing.push_back(p.toStdString());
            // Nothing new at this alpha: no model to apply it to (alpha 0 and 1 mostly).
            const FloatMatrix probabilities = missing.empty() ? FloatMatrix{} : m_session->classifyImages(a, missing);
            for (int64_t i = 0; i < probabilities.rows; ++i) {
                QVector<ImagePredictions::Guess> guesses;
                for (int64_t c : probabilities.topColumns(i, 3)) guesses.push_back({int(c), probabilities.at(i, c)});
                known[QString::fromStdString(missing[size_t(i)])] = guesses;
            }
            QVector<QVector<ImagePredictions::Guess>> perImage;
            for (const QString& p : paths) perImage.push_back(known.at(p));
            out.guesses.push_back(perImage);
        }
        Q_EMIT imagesClassified(out);
    } catch (const Cancelled&) {
        Q_EMIT failed(Job::ClassifyImages, QString()); // stopped: no message, but the request has ended
    } catch (const std::exception& e) {
        Q_EMIT failed(Job::ClassifyImages, QString::fromStdString(ra::userMessage(e)));
    }
}

void TrainingWorker::forgetSessionResults()
{
    m_samplesSent.clear();
    m_guessCache.clear();
    m_zeroShotEmbeddings.clear();
    m_zeroShotLayouts.clear();
    m_lastMapped = {};
}

void TrainingWorker::mapEmbeddings(const QString& set, double alpha, bool tsne)
{
    // A few hundred points: enough to see every class's cluster, few enough to tell them apart
    // (and a second or two of encoding on a laptop).
    constexpr int64_t kMapPoints = 600;
    try {
        if (!m_session) throw std::runtime_error("no trained run to map; train or open one first.");
        m_cancelled = false;
        EmbeddingMap out;
        out.set = set;
        if (m_session->isRetrieval()) return mapCaptionPairs(set, alpha, tsne);
        const std::string name = set.toStdString();
        auto zero = m_zeroShotEmbeddings.find(name);
        if (zero == m_zeroShotEmbeddings.end())
            zero = m_zeroShotEmbeddings.emplace(name, m_session->embedEvaluationSet(0, name, kMapPoints)).first;
        if (alpha != 0 && (m_lastMapped.set != name || m_lastMapped.alpha != alpha))
            m_lastMapped = {name, alpha, m_session->embedEvaluationSet(alpha, name, kMapPoints)};
        const SetEmbeddings& now = alpha == 0 ? zero->second : m_lastMapped.embeddings;
        const PlaneProjection plane = projectOntoPrincipalPlane({&zero->second.images, &now.images},
                                                                {&zero->second.classes, &now.classes});
        std::vector<FloatMatrix> layouts; // t-SNE's, per alpha
        if (tsne) {
            const auto stopped = [this] { return m_cancelled.load(); };
            auto zeroLayout = m_zeroShotLayouts.find(name);
            if (zeroLayout == m_zeroShotLayouts.end()) {
                const FloatMatrix start = projectOntoPrincipalPlane({&zero->second.images}).points[0];
                const TsneResult r = tsneEmbedding(zero->second.images, start, {}, stopped);
                if (m_cancelled) throw Cancelled();
                zeroLayout = m_zeroShotLayouts.emplace(name, r.points).first;
            }
            layouts.push_back(zeroLayout->second);
            // The other alpha starts where alpha 0 ended: a cluster that stays keeps its place.
            layouts.push_back(alpha == 0 ? zeroLayout->second
                                         : tsneEmbedding(now.images, zeroLayout->second, {}, stopped).points);
            if (m_cancelled) throw Cancelled();
        }
        const ImageDataset& data = m_session->dataset(name);
        out.setSize = int(data.samples.size());
        for (const auto& c : data.classNames) out.classNames << QString::fromStdString(c);
        out.alphas = {0, alpha};
        out.labels = QVector<int>(now.labels.begin(), now.labels.end());
        out.explainedVariance = plane.explainedVariance;
        out.tsne = tsne;
        for (int k = 0; k < 2; ++k) {
            const SetEmbeddings& e = k == 0 ? zero->second : now;
            if (tsne) {
                // t-SNE places only the images: each class's name goes above its images, at their
                // centre across (on them it would hide a cluster t-SNE drew tight).
                out.points.push_back(toPoints(layouts[size_t(k)]));
                out.classes.push_back(namesAboveClusters(out.points.back(), out.labels, int(out.classNames.size())));
            } else {
                out.points.push_back(toPoints(plane.points[size_t(k)]));
                out.classes.push_back(toPoints(plane.points[size_t(k + 2)]));
            }
            out.predictions.push_back(QVector<int>(e.predictions.begin(), e.predictions.end()));
            out.accuracy.push_back(e.accuracy);
            out.classMeanAccuracy.push_back(nearestClassMeanAccuracy(e.images, e.labels));
        }
        Q_EMIT embeddingsMapped(out);
    } catch (const Cancelled&) {
        Q_EMIT failed(Job::EmbeddingMap, QString());
    } catch (const std::exception& e) {
        Q_EMIT failed(Job::EmbeddingMap, QString::fromStdString(ra::userMessage(e)));
    }
}

void TrainingWorker::mapCaptionPairs(const QString& set, double alpha, bool tsne)
{
    // As mapEmbeddings, for a retrieval run: images and their captions, a line between each pair
    // (fewer points than classification's: each pair is two, and the lines must stay readable).
    constexpr int64_t kMapPairs = 150;
    const std::string name = set.toStdString();
    EmbeddingMap out;
    out.set = set;
    out.pairs = true;
    out.tsne = tsne;
    out.alphas = {0, alpha};
    out.classNames = {tr("images"), tr("captions")};
    std::vector<TrainingSession::CaptionPairs> at;
    for (double a : {0.0, alpha}) at.push_back(m_session->embedCaptionPairs(a, name, kMapPairs));
    const int n = int(at[0].images.rows);
    out.setSize = int(at[0].setImages);
    out.labels = QVector<int>(n, 0) + QVector<int>(n, 1);
    std::vector<FloatMatrix> layouts; // per alpha, images then captions
    if (tsne) {
        const auto stopped = [this] { return m_cancelled.load(); };
        const FloatMatrix zero = stacked(at[0].images, at[0].captions);
        const TsneResult first = tsneEmbedding(zero, projectOntoPrincipalPlane({&zero}).points[0], {}, stopped);
        if (m_cancelled) throw Cancelled();
        layouts.push_back(first.points);
        layouts.push_back(alpha == 0
                              ? first.points
                              : tsneEmbedding(stacked(at[1].images, at[1].captions), first.points, {}, stopped).points);
        if (m_cancelled) throw Cancelled();
    } else {
        const PlaneProjection plane = projectOntoPrincipalPlane(
            {&at[0].images, &at[0].captions, &at[1].images, &at[1].captions});
        out.explainedVariance = plane.explainedVariance;
        for (int k = 0; k < 2; ++k)
            layouts.push_back(stacked(plane.points[size_t(2 * k)], plane.points[size_t(2 * k + 1)]));
    }
    for (int k = 0; k < 2; ++k) {
        out.points.push_back(toPoints(layouts[size_t(k)]));
        // Which caption each image retrieves among those shown, and which image each caption does:
        // a pair found both ways is drawn as dots, a miss as a cross.
        const std::vector<int64_t> toText = nearestRows(at[size_t(k)].images, at[size_t(k)].captions);
        const std::vector<int64_t> toImage = nearestRows(at[size_t(k)].captions, at[size_t(k)].images);
        QVector<int> found(2 * n);
        int imageHits = 0, textHits = 0;
        // A caption whose text is the image's own caption's (the same vector: texts are encoded
        // once) is its caption too, as recallAtK counts ties.
        const FloatMatrix& captions = at[size_t(k)].captions;
        auto sameText = [&](int64_t a, int64_t b) {
            return std::equal(captions.row(a), captions.row(a) + captions.cols, captions.row(b));
        };
        for (int i = 0; i < n; ++i) {
            const bool image = toText[size_t(i)] == i || sameText(toText[size_t(i)], i);
            const bool text = toImage[size_t(i)] == i;
            found[i] = image ? 0 : 1;
            found[n + i] = text ? 1 : 0;
            imageHits += image;
            textHits += text;
        }
        out.predictions.push_back(found);
        out.accuracy.push_back(n ? double(imageHits) / n : 0);
        out.classMeanAccuracy.push_back(n ? double(textHits) / n : 0);
        if (tsne) {
            out.classes.push_back(namesAboveClusters(out.points.back(), out.labels, 2));
        } else { // each group's name at its centre
            QVector<QPointF> centres(2, QPointF(0, 0));
            for (int i = 0; i < 2 * n; ++i) centres[i / std::max(1, n)] += out.points.back()[i] / std::max(1, n);
            out.classes.push_back(centres);
        }
    }
    Q_EMIT embeddingsMapped(out);
}

void TrainingWorker::previewTrainingSamples(const Project& project, int step, int count)
{
    try {
        m_cancelled = false;
        TrainingSession session(project);
        session.setStopCheck([this] { return stopRequested(); });
        TrainingSamplePreview out;
        out.step = step;
        out.cropMin = project.config.cropScaleMin;
        out.cropMax = project.config.cropScaleMax;
        const bool retrieval = session.isRetrieval();
        for (const TrainingSample& s : session.trainingSamples(step, count)) {
            out.resolution = s.size;
            out.images << QImage(s.rgb.data(), s.size, s.size, 3 * s.size, QImage::Format_RGB888).copy();
            out.labels << (retrieval ? tr("image %1").arg(s.label)
                                     : QString::fromStdString(session.classNames().at(size_t(s.label))));
            out.texts << QString::fromStdString(s.text);
            out.paths << QString::fromStdString(s.path);
        }
        Q_EMIT trainingSamplesReady(out);
    } catch (const Cancelled&) {
        Q_EMIT failed(Job::TrainingSamples, QString());
    } catch (const std::exception& e) {
        Q_EMIT failed(Job::TrainingSamples, QString::fromStdString(ra::userMessage(e)));
    }
}

void TrainingWorker::prepareDemoData(const QString& dataDir)
{
    try {
        prepareDigitsShift(dataDir.toStdString());
        Q_EMIT demoDataReady(dataDir);
    } catch (const std::exception& e) {
        Q_EMIT failed(Job::DemoData, QString::fromStdString(ra::userMessage(e)));
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
        o.shouldStop = [this] { return stopRequested(); };
        m_cancelled = false;
        const DemoResult r = runDemo(o,
                                     [this](const std::string& line) { Q_EMIT demoLog(QString::fromStdString(line)); });
        Q_EMIT demoFinished(r);
    } catch (const Cancelled&) {
        Q_EMIT demoStopped();
    } catch (const std::exception& e) {
        Q_EMIT failed(Job::DemoComparison, QString::fromStdString(ra::userMessage(e)));
    }
}

} // namespace ra::app
