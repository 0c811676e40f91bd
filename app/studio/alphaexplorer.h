#pragma once
// The alpha explorer: a slider over the sweep's grid (AlphaGrid::standard(): 0, 0.1, ..., 1.5)
// for the trained run. The accuracies come from the swept grid (exact at every slider position
// once the sweep is in; interpolated and marked "~" before). Shows the ID-vs-OOD curve (WiSE-FT
// plot) with zero-shot, fine-tuned and current points, and, for the ID set or any OOD set chosen,
// the examples whose prediction differs from zero-shot and the confusion matrix (the ID set's
// come with the sweep; another set's are asked from the worker, then kept); and the user's own
// images classified at alpha 0, the slider's and 1.
#include "eval/alphagrid.h"
#include "studio/alphasweepdata.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QSlider;
class QSplitter;
class QTabWidget;
class QTableWidget;
class QTimer;

namespace ra::widgets {
class CurvePlot;
class ConfusionMatrixView;
class EmbeddingMapView;
class ImageGallery;
} // namespace ra::widgets

namespace ra::app {

class YourImagesView;

class AlphaExplorer : public QWidget {
    Q_OBJECT
public:
    explicit AlphaExplorer(QWidget* parent = nullptr);

    // The swept grid (possibly partial); DETAILS, per alpha, make the flips and confusion matrix
    // exact by lookup too, and the alpha-0 detail is the zero-shot baseline; IDSET is the set
    // they describe.
    void setSweep(const QVector<AlphaPoint>& points, const QVector<AlphaDetail>& details, const QString& idSet);
    // Exact values at one alpha: the predictions and confusion matrix of one set (the ID set's come
    // with the sweep; any other set's are asked for with detailRequested).
    void setDetail(const AlphaDetail& detail);
    void setSamples(const EvalSetSamples& samples); // before the first detail about that set
    // What the next sweeps' curve is called ("R-Adapter α curve", "WiSE-FT curve") and its alpha-1
    // point, the trained model ("R-Adapter (α=1)", "fine-tuned (α=1)"). The previous run's
    // complete curve of another kind stays on the plane as "… (earlier run)" with its alpha-1
    // point, so training fine-tuning and then R-Adapter puts the paper's figure on one plane:
    // zero-shot, the fine-tuned point, both curves.
    void setRunCurveName(const QString& name, const QString& trainedPointName);
    // A new project: earlier runs' curves no longer belong on the plane.
    void forgetEarlierCurves();
    // The name of the current run's curve on wiseFtPlot().
    QString runCurveName() const { return m_runCurveName; }
    void setAlpha(double alpha); // moves the slider (no request)
    double alpha() const;
    // The accuracy the table shows for SET, and whether it is exact.
    double shownAccuracy(const QString& set, bool* exact = nullptr) const;
    bool sweepHas(double alpha) const;
    bool hasDetail() const; // the flips and confusion matrix describe the current alpha and set
    // The set the confusion matrix and the changed predictions describe (the ID set by default;
    // the "examples from" box chooses any evaluation set).
    QString detailSet() const;
    void setDetailSet(const QString& set);
    QComboBox* detailSetBox() const { return m_detailSetBox; }
    QTableWidget* perClass() const { return m_perClass; }
    widgets::CurvePlot* wiseFtPlot() const { return m_curve; }
    widgets::ImageGallery* gallery() const { return m_gallery; }
    QTableWidget* accuracyTable() const { return m_table; } // set, accuracy at the current alpha
    widgets::ConfusionMatrixView* confusion() const { return m_confusion; }
    QSlider* slider() const { return m_slider; }
    YourImagesView* yourImages() const { return m_yourImages; }
    void showYourImages(); // brings the Your images tab to the front
    widgets::EmbeddingMapView* embeddingMap() const { return m_map; }
    void showEmbeddingMap(); // brings the Embeddings tab to the front (and asks for its map)
    bool embeddingMapInFront() const;
    // The map of EmbeddingMap's set at alpha 0 and its alpha; shown when it is the set and alpha
    // on screen, kept for when they are again.
    void setEmbeddingMap(const EmbeddingMap& map);
    void setImagePredictions(const ImagePredictions& predictions);
    // Asks for the listed images' predictions at the current alpha (a new run to show them for).
    void requestImagePredictions();
    // The one-standard-error choice on the ID validation curve, once the sweep is complete.
    QPushButton* choiceButton() const { return m_choice; }
    double chosenAlpha() const { return m_chosenAlpha; }

Q_SIGNALS:
    // The predictions and confusion matrix of SET at ALPHA are wanted (setDetail answers).
    void detailRequested(double alpha, const QString& set);
    // The user's images (YourImagesView) at alpha 0, ALPHA and 1: when they change, and when the
    // slider rests.
    void imagePredictionsRequested(const QStringList& paths, double alpha);
    // The embedding map of SET at alpha 0 and ALPHA, by t-SNE when TSNE, is wanted
    // (setEmbeddingMap answers); asked only while the Embeddings tab is in front.
    void embeddingMapRequested(double alpha, const QString& set, bool tsne);

private:
    void showInterpolated();
    // The plane's x axis and the two ID panels' titles name the ID set they show (empty: not known yet).
    void nameIdSet(const QString& set);
    // The confusion matrix and changed predictions for the current alpha and detailSet():
    bool showKnownDetail();      // true when the current alpha and set were known and are shown
    void requestMissingDetail(); // asks the worker for what the current alpha and set still need
    void showDetail(const AlphaDetail& detail, const AlphaDetail& baseline);
    void listDetailSets(const QStringList& sets);
    // SETS as the table and the set box list them: the ID set first, then by role and name.
    QStringList inShownOrder(QStringList sets) const;
    // The detail set's per-class accuracy at alpha 0 and now, and the change (the Per class tab).
    void showPerClass(const QStringList& classNames, const AlphaDetail& detail, const AlphaDetail& baseline);
    void updateChoice();
    // The Embeddings tab's map for the current alpha and detailSet(): shown when known (true; also
    // when the tab is not in front or there is no run), else asked for.
    bool showKnownMap();
    void showOrRequestMap();
    void updateCurrentMarker(double id, double ood);
    QMap<QString, double> interpolate(double alpha) const;

    QSlider* m_slider;
    QLabel* m_alphaLabel;
    QLabel* m_confusionTitle; // names the ID set the matrix and the changed predictions come from
    QLabel* m_changesTitle;
    QTableWidget* m_table;
    widgets::CurvePlot* m_curve;
    widgets::ImageGallery* m_gallery;
    widgets::ConfusionMatrixView* m_confusion;
    QTimer* m_requestTimer;
    QTimer* m_imagesTimer; // the slider has rested: the user's images at its alpha
    YourImagesView* m_yourImages;
    QTabWidget* m_examples; // Changed predictions | Per class | Embeddings | Your images
    widgets::EmbeddingMapView* m_map;
    QSplitter* m_planeAndExamples; // the plane above, the examples' tabs below
    // By set and projection (mapKey), then slider position, for the current weights.
    QMap<QString, QMap<int, EmbeddingMap>> m_maps;
    static QString mapKey(const QString& set, bool tsne) { return tsne ? set + QStringLiteral("\nt-SNE") : set; }
    bool tsneChosen() const;
    QVector<AlphaPoint> m_sweep;
    const std::vector<double> m_grid = AlphaGrid::standard().values; // the worker sweeps the same grid
    int gridIndex(double alpha) const;                               // the slider position nearest ALPHA
    QMap<int, AlphaDetail> m_details;                                // by slider position (the ID set)
    QMap<QString, QMap<int, AlphaDetail>> m_otherDetails;            // other sets', by set and position
    QComboBox* m_detailSetBox;
    QTableWidget* m_perClass; // class, zero-shot, now, change
    QString m_idSet;
    QMap<QString, EvalSetSamples> m_samples; // by set
    AlphaDetail m_exact;
    AlphaDetail m_baseline;
    bool m_hasExact = false;
    QPushButton* m_choice;
    double m_chosenAlpha = -1;
    struct Curve {
        QVector<double> x, y;
        QStringList labels;
        int trainedIndex = -1;    // the alpha-1 point
        QString trainedPointName; // what the legend calls it
    };
    QString m_runCurveName = QStringLiteral("α curve");
    QString m_trainedPointName = QStringLiteral("α=1");
    Curve m_runCurve;               // the current run's, as swept so far (complete: one point per grid alpha)
    QMap<QString, Curve> m_earlier; // by curve name: complete curves of earlier runs
    void drawCurves();
};

} // namespace ra::app
