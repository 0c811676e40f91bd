#pragma once
// The axes of a parallel-coordinates plot (TensorBoard's HParams view, W&B's and MLflow's
// parallel coordinates): one vertical axis per setting or result, each run a line through its
// values. An axis is numeric when every value on it is a number (logarithmic when the values span
// a factor of 20 or more, as learning rates do), otherwise it lists its values as categories
// (method, loss, schedule). No widgets here: heights and tick labels only.
#include <QPair>
#include <QString>
#include <QStringList>
#include <QVector>

namespace ra::widgets {

// Whether positive values from LEAST to MOST are better read on a logarithmic axis: a factor of
// 20 or more between them (the scatter's x axis uses the same rule).
bool spansDecades(double least, double most);

struct ParallelAxis {
    QString name;
    bool categorical = false;
    bool logarithmic = false;
    double lower = 0, upper = 0; // numeric: the values' range
    QStringList categories;      // categorical: the distinct values, sorted

    // VALUE's height on the axis, 0 (bottom) to 1 (top); NaN for an empty value or one the axis
    // does not hold. A numeric axis whose values are all equal puts them halfway.
    double height(const QString& value) const;
    // The labels along the axis: each distinct value where there are at most six, otherwise the
    // ends and the middle; categories each at their height.
    QVector<QPair<double, QString>> ticks() const;

private:
    QVector<double> m_distinct; // numeric: the distinct values, ascending
    friend ParallelAxis makeParallelAxis(const QString& name, const QStringList& values);
};

// The axis NAME for VALUES, one per run as text (empty where a run has none).
ParallelAxis makeParallelAxis(const QString& name, const QStringList& values);

} // namespace ra::widgets
