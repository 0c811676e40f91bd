#include "parallelaxes.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ra::widgets {
namespace {

constexpr int kMostLabelledValues = 6;

QString numberText(double v) { return QString::number(v, 'g', 4); }

} // namespace

bool spansDecades(double least, double most) { return least > 0 && most / least >= 20; }

ParallelAxis makeParallelAxis(const QString& name, const QStringList& values)
{
    ParallelAxis axis;
    axis.name = name;
    QStringList present;
    for (const QString& v : values)
        if (!v.isEmpty()) present << v;
    for (const QString& v : present) {
        bool number = false;
        const double x = v.toDouble(&number);
        if (!number || !std::isfinite(x)) {
            axis.categorical = true;
            break;
        }
        axis.m_distinct << x;
    }
    if (axis.categorical) {
        axis.m_distinct.clear();
        for (const QString& v : present)
            if (!axis.categories.contains(v)) axis.categories << v;
        axis.categories.sort();
        return axis;
    }
    std::sort(axis.m_distinct.begin(), axis.m_distinct.end());
    axis.m_distinct.erase(std::unique(axis.m_distinct.begin(), axis.m_distinct.end()), axis.m_distinct.end());
    if (!axis.m_distinct.isEmpty()) {
        axis.lower = axis.m_distinct.front();
        axis.upper = axis.m_distinct.back();
        axis.logarithmic = spansDecades(axis.lower, axis.upper);
    }
    return axis;
}

double ParallelAxis::height(const QString& value) const
{
    constexpr double none = std::numeric_limits<double>::quiet_NaN();
    if (value.isEmpty()) return none;
    if (categorical) {
        const qsizetype i = categories.indexOf(value);
        if (i < 0) return none;
        return categories.size() == 1 ? 0.5 : double(i) / double(categories.size() - 1);
    }
    bool number = false;
    const double x = value.toDouble(&number);
    if (!number || !std::isfinite(x) || m_distinct.isEmpty()) return none;
    if (upper == lower) return 0.5;
    if (logarithmic) return (std::log(x) - std::log(lower)) / (std::log(upper) - std::log(lower));
    return (x - lower) / (upper - lower);
}

QVector<QPair<double, QString>> ParallelAxis::ticks() const
{
    QVector<QPair<double, QString>> ticks;
    if (categorical) {
        for (const QString& c : categories) ticks.append({height(c), c});
        return ticks;
    }
    if (m_distinct.isEmpty()) return ticks;
    QVector<double> labelled = m_distinct;
    if (labelled.size() > kMostLabelledValues)
        labelled = {lower, logarithmic ? std::sqrt(lower * upper) : (lower + upper) / 2, upper};
    for (double v : labelled) ticks.append({height(QString::number(v, 'g', 17)), numberText(v)});
    return ticks;
}

} // namespace ra::widgets
