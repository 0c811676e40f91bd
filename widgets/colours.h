#pragma once
// The colours of plots and predictions: series colours that stay apart, a plot's frame, text, grid and legend
// taken from the widget palette, so the plots follow a light or dark desktop (and the Studio's
// View ▸ Dark Theme) instead of staying white.
#include <QColor>

class QCPAxis;
class QCustomPlot;
class QPalette;

namespace ra::widgets {

// The I-th of ten colours that stay apart (matplotlib's "tab10"); more reuse them.
QColor seriesColour(int i);
// The colour of a wrong prediction or a loss, readable on PALETTE's base (dark red on light, light
// red on dark).
QColor wrongColour(const QPalette& palette);
// PLOT's background, axes, tick labels, axis labels, grid, legend and layout titles from PALETTE.
void applyPalette(QCustomPlot* plot, const QPalette& palette);
// One axis's line, ticks, tick labels, label and grid from PALETTE (an axis outside the plot's
// axis rects too: a colour scale's).
void applyPalette(QCPAxis* axis, const QPalette& palette);

} // namespace ra::widgets
