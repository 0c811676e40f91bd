#include "colours.h"

#include "qcustomplotinclude.h"

#include <QPalette>

namespace ra::widgets {

QColor seriesColour(int i)
{
    static const QColor colours[] = {
        QColor(31, 119, 180), QColor(255, 127, 14),  QColor(44, 160, 44),   QColor(214, 39, 40),  QColor(148, 103, 189),
        QColor(140, 86, 75),  QColor(227, 119, 194), QColor(127, 127, 127), QColor(188, 189, 34), QColor(23, 190, 207)};
    constexpr int n = int(sizeof colours / sizeof colours[0]);
    return colours[((i % n) + n) % n];
}

QColor wrongColour(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightness() < 128 ? QColor(255, 118, 118) : QColor(176, 0, 32);
}

void applyPalette(QCPAxis* axis, const QPalette& palette)
{
    const QColor text = palette.color(QPalette::Text);
    QColor grid = palette.color(QPalette::Mid);
    grid.setAlpha(120);
    axis->setBasePen(QPen(text));
    axis->setTickPen(QPen(text));
    axis->setSubTickPen(QPen(text));
    axis->setTickLabelColor(text);
    axis->setLabelColor(text);
    axis->grid()->setPen(QPen(grid, 0, Qt::DotLine));
    axis->grid()->setZeroLinePen(Qt::NoPen);
}

void applyPalette(QCustomPlot* plot, const QPalette& palette)
{
    const QColor text = palette.color(QPalette::Text), base = palette.color(QPalette::Base);
    plot->setBackground(base);
    for (QCPAxisRect* rect : plot->axisRects())
        for (QCPAxis* axis : rect->axes()) applyPalette(axis, palette);
    if (plot->legend) { // a plot whose layout was rebuilt has none
        plot->legend->setTextColor(text);
        // A legend drawn without a box (beside the axes) stays so: boxed, its right edge was cut
        // off at the plot's border after every change of theme.
        if (plot->legend->borderPen().style() != Qt::NoPen) {
            QColor legendBase = base;
            legendBase.setAlpha(220);
            plot->legend->setBrush(legendBase);
            plot->legend->setBorderPen(QPen(text));
        }
    }
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i)
        if (auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->elementAt(i))) title->setTextColor(text);
    plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace ra::widgets
