#pragma once
// What an alpha sweep sends from the worker to the alpha explorer: every set's accuracy per
// alpha, and the ID set's predictions and confusion matrix per alpha. Small value types, so the
// explorer needs neither the worker nor libtorch.
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

#include <vector>

namespace ra::app {

struct AlphaPoint {
    double alpha = 0;
    QMap<QString, double> accuracy; // eval set -> primary metric
};

struct AlphaDetail {
    double alpha = 0;
    QMap<QString, double> accuracy;
    QString set;                          // the set the details below describe
    QVector<int> predictions;             // per sample of SET
    QVector<int> labels;
    QStringList paths;
    QStringList classNames;
    std::vector<std::vector<int>> confusion;
};

} // namespace ra::app

Q_DECLARE_METATYPE(ra::app::AlphaPoint)
Q_DECLARE_METATYPE(ra::app::AlphaDetail)
