#pragma once
// What an alpha sweep sends from the worker to the alpha explorer: every set's accuracy per
// alpha, and the ID set's predictions and confusion matrix per alpha; what does not change with
// alpha (the set's files, labels and class names) travels once per trained session. Small value
// types, so the explorer needs neither the worker nor libtorch.
#include <QMap>
#include <QMetaType>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QVector>

#include <vector>

namespace ra::app {

struct AlphaPoint {
    double alpha = 0;
    QMap<QString, double> accuracy; // eval set -> primary metric
};

// One evaluation set's samples, the same at every alpha.
struct EvalSetSamples {
    QString set;
    QVector<int> labels; // per sample
    QStringList paths;
    QStringList classNames;
};

struct AlphaDetail {
    double alpha = 0;
    QMap<QString, double> accuracy;
    QString set;              // the set the details below describe (EvalSetSamples)
    QVector<int> predictions; // per sample of SET
    std::vector<std::vector<int>> confusion;
};

// The user's own images classified by the run at a few alphas (zero-shot, the explorer's, the
// trained model): each image's most probable classes at each alpha.
struct ImagePredictions {
    struct Guess {
        int label = 0;
        float probability = 0;
    };
    QVector<double> alphas;
    QStringList classNames;
    QStringList paths;
    QVector<QVector<QVector<Guess>>> guesses; // [alpha][image]: the three most probable, best first
};

// One evaluation set's embedding map: its images' embeddings at alpha 0 and at another alpha, on
// the principal plane of both together (eval/embeddingmap.h).
struct EmbeddingMap {
    QString set;
    QString unavailable; // why there is no map; empty when there is
    int setSize = 0;     // the set's images; the map shows at most a few hundred of them
    QStringList classNames;
    QVector<double> alphas;            // 0, then the alpha asked for
    QVector<int> labels;               // per point: its class
    QVector<QVector<QPointF>> points;  // [alpha][point]
    QVector<QVector<int>> predictions; // [alpha][point]
    QVector<QVector<QPointF>> classes; // [alpha][class]: the head's class embeddings on the plane
    QVector<double> accuracy;          // [alpha], of the points shown
    QVector<double> classMeanAccuracy; // [alpha]: the share nearest their own class's mean (leave-one-out)
    double explainedVariance = 0;      // the share of the points' variance the plane shows
    bool tsne = false; // laid out by t-SNE (classes: above each class's images), else the principal plane
    // A retrieval run's: the points are its images, then their captions (labels 0 and 1, the
    // classes "images" and "captions"), point i paired with point n + i; a prediction equal to the
    // label means the pair was found (an image retrieving its own caption among those shown, or
    // the caption its image); accuracy is image-to-text and classMeanAccuracy text-to-image R@1.
    bool pairs = false;
};

} // namespace ra::app

Q_DECLARE_METATYPE(ra::app::ImagePredictions)
Q_DECLARE_METATYPE(ra::app::AlphaPoint)
Q_DECLARE_METATYPE(ra::app::AlphaDetail)
Q_DECLARE_METATYPE(ra::app::EvalSetSamples)
Q_DECLARE_METATYPE(ra::app::EmbeddingMap)
