#include "parallelcoordinatesview.h"

#include "colours.h"
#include "qcustomplotinclude.h"

#include <QToolTip>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace ra::widgets {
namespace {

constexpr double kNearPixels = 5;

// Low to high: blue through orange to red, each readable on a light and on a dark background
// (viridis ends in a yellow that vanishes on white, and the best runs are the ones to see).
QCPColorGradient lineGradient()
{
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0, QColor(69, 117, 180));
    g.setColorStopAt(0.35, QColor(116, 173, 209));
    g.setColorStopAt(0.65, QColor(244, 139, 70));
    g.setColorStopAt(1, QColor(200, 30, 40));
    return g;
}

double distanceToSegment(const QPointF& p, const QPointF& a, const QPointF& b)
{
    const QPointF ab = b - a, ap = p - a;
    const double length2 = QPointF::dotProduct(ab, ab);
    const double t = length2 > 0 ? std::clamp(QPointF::dotProduct(ap, ab) / length2, 0.0, 1.0) : 0.0;
    const QPointF nearest = a + t * ab;
    return std::hypot(p.x() - nearest.x(), p.y() - nearest.y());
}

} // namespace

ParallelCoordinatesView::ParallelCoordinatesView(QWidget* parent)
    : QWidget(parent), m_plot(new QCustomPlot), m_colourScale(new QCPColorScale(m_plot)),
      m_placeholder(new QCPItemText(m_plot))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setMinimumSize(320, 200);
    // No legend: a run's line is named on hover. (A legend entry per line would also make each
    // redraw's removal of the lines quadratic in the runs.)
    m_plot->setAutoAddPlottableToLegend(false);
    // The axes are drawn as items; the plot's own x axis only names them, its y axis is hidden.
    m_plot->yAxis->setVisible(false);
    m_plot->yAxis->setRange(-0.06, 1.06);
    m_plot->xAxis->grid()->setVisible(false);
    m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));
    m_plot->xAxis->setTickLength(0, 0);
    m_plot->xAxis->setSubTicks(false);
    m_colourScale->setType(QCPAxis::atRight); // added to the layout only while it colours the lines
    m_colourScale->setGradient(lineGradient());
    m_colourScale->setBarWidth(10);
    auto* margins = new QCPMarginGroup(m_plot);
    m_plot->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    m_colourScale->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    m_placeholder->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_placeholder->position->setCoords(0.5, 0.5);
    m_placeholder->setColor(QColor(130, 130, 130));
    connect(m_plot, &QCustomPlot::mouseMove, this, &ParallelCoordinatesView::onMouseMove);
    connect(m_plot, &QCustomPlot::mousePress, this, &ParallelCoordinatesView::onMousePress);
    connect(m_plot, &QCustomPlot::mouseRelease, this, &ParallelCoordinatesView::onMouseRelease);
    redraw();
}

void ParallelCoordinatesView::setLines(const QStringList& names, const QVector<Line>& lines)
{
    const QString colouring = m_colourAxis >= 0 && m_colourAxis < m_axes.size() ? m_axes[m_colourAxis].name : QString();
    m_colourAxis = colouring.isEmpty() || !names.contains(colouring) ? int(names.size()) - 1
                                                                     : int(names.indexOf(colouring));
    m_brushes.clear();
    m_axes.clear();
    for (int a = 0; a < names.size(); ++a) {
        QStringList values;
        for (const Line& line : lines) values << line.values.value(a);
        m_axes << makeParallelAxis(names[a], values);
    }
    m_lines = lines;
    m_heights.clear();
    for (const Line& line : m_lines) {
        QVector<double> h;
        for (int a = 0; a < m_axes.size(); ++a) h << m_axes[a].height(line.values.value(a));
        m_heights << h;
    }
    redraw();
}

void ParallelCoordinatesView::setColourAxis(int axis)
{
    if (axis < 0 || axis >= m_axes.size() || axis == m_colourAxis) return;
    m_colourAxis = axis;
    redraw();
}

void ParallelCoordinatesView::setHighlighted(const QList<qint64>& runs)
{
    m_highlighted = runs;
    redraw();
}

void ParallelCoordinatesView::setPlaceholderText(const QString& text)
{
    m_placeholder->setText(text);
    redraw();
}

void ParallelCoordinatesView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) redraw();
    QWidget::changeEvent(event);
}

QVector<double> ParallelCoordinatesView::heights(qint64 run) const
{
    for (int i = 0; i < m_lines.size(); ++i)
        if (m_lines[i].run == run) return m_heights[i];
    return {};
}

void ParallelCoordinatesView::redraw()
{
    m_plot->clearGraphs();
    // Every item but the placeholder is the previous drawing's axes and labels.
    for (int i = m_plot->itemCount() - 1; i >= 0; --i)
        if (m_plot->item(i) != m_placeholder) m_plot->removeItem(i);
    m_brushRect = nullptr; // removed with them
    applyPalette(m_plot, palette());
    m_plot->xAxis->setBasePen(Qt::NoPen); // the axes are the vertical lines; the palette gave it one
    const QColor text = palette().color(QPalette::Text);
    QColor labelBase = palette().color(QPalette::Base);
    labelBase.setAlpha(190);
    const bool drawn = !m_lines.isEmpty() && !m_axes.isEmpty();
    m_placeholder->setVisible(!drawn && !m_placeholder->text().isEmpty());

    // The axes: a vertical line each, named under it, its values written beside it.
    auto names = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.85);
    for (int a = 0; a < m_axes.size(); ++a) {
        const ParallelAxis& axis = m_axes[a];
        names->addTick(a, axis.logarithmic ? tr("%1\n(log)").arg(axis.name) : axis.name);
        auto* line = new QCPItemLine(m_plot);
        line->start->setCoords(a, 0);
        line->end->setCoords(a, 1);
        line->setPen(QPen(text, 1));
        for (const auto& [height, label] : axis.ticks()) {
            auto* tick = new QCPItemText(m_plot);
            tick->setLayer(QStringLiteral("axes")); // over the lines, which would hide the values they pass
            tick->position->setCoords(a, height);
            tick->setPositionAlignment(Qt::AlignRight | Qt::AlignVCenter);
            tick->setPadding(QMargins(2, 0, 6, 0)); // clear of the axis line
            tick->setText(label);
            tick->setFont(small);
            tick->setColor(text);
            tick->setBrush(labelBase);
        }
    }
    m_plot->xAxis->setTicker(names);
    m_plot->xAxis->setRange(-0.6, std::max<double>(1, m_axes.size()) - 0.4);

    // The brushed ranges, as bands across their axes.
    QColor brushFill = palette().color(QPalette::Highlight);
    brushFill.setAlpha(70);
    for (auto it = m_brushes.begin(); it != m_brushes.end(); ++it) {
        auto* band = new QCPItemRect(m_plot);
        band->setLayer(QStringLiteral("axes"));
        band->setBrush(brushFill);
        band->setPen(QPen(palette().color(QPalette::Highlight)));
        band->topLeft->setCoords(it.key() - 0.12, it->second);
        band->bottomRight->setCoords(it.key() + 0.12, it->first);
    }

    // The colour: the colouring axis's value, on a scale beside the plot (by category when it
    // has no numbers).
    const ParallelAxis* colourAxis = m_colourAxis >= 0 && m_colourAxis < m_axes.size() ? &m_axes[m_colourAxis]
                                                                                       : nullptr;
    const bool scaled = drawn && colourAxis && !colourAxis->categorical;
    if (scaled) {
        const double spread = colourAxis->upper > colourAxis->lower ? 0 : 1;
        m_colourScale->setDataScaleType(colourAxis->logarithmic ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
        m_colourScale->setDataRange(QCPRange(colourAxis->lower - spread, colourAxis->upper + spread));
        m_colourScale->setLabel(colourAxis->name);
        applyPalette(m_colourScale->axis(), palette());
    }
    if (scaled && !m_plot->plotLayout()->hasElement(0, 1)) m_plot->plotLayout()->addElement(0, 1, m_colourScale);
    if (!scaled && m_plot->plotLayout()->hasElement(0, 1)) {
        m_plot->plotLayout()->take(m_colourScale);
        m_plot->plotLayout()->simplify();
    }
    auto colourOf = [&](const Line& line) {
        const QString value = line.values.value(m_colourAxis);
        if (!colourAxis || value.isEmpty()) return QColor(130, 130, 130);
        if (colourAxis->categorical) return seriesColour(int(colourAxis->categories.indexOf(value)));
        return QColor(
            m_colourScale->gradient().color(value.toDouble(), m_colourScale->dataRange(), colourAxis->logarithmic));
    };

    // The selected runs last, so they are drawn over the others; the others faint while any is.
    QVector<int> order;
    for (int i = 0; i < m_lines.size(); ++i)
        if (!m_highlighted.contains(m_lines[i].run)) order << i;
    for (int i = 0; i < m_lines.size(); ++i)
        if (m_highlighted.contains(m_lines[i].run)) order << i;
    for (int i : order) {
        if (!drawn) break;
        const Line* line = &m_lines[i];
        const bool bold = m_highlighted.contains(line->run);
        QColor colour = colourOf(*line);
        if (!m_highlighted.isEmpty() && !bold) colour.setAlpha(90);
        QCPGraph* graph = m_plot->addGraph();
        QVector<double> x, y;
        const QVector<double>& h = m_heights[i];
        for (int a = 0; a < h.size(); ++a) {
            x << a;
            y << h[a]; // NaN: the line breaks there
        }
        graph->setData(x, y, true);
        graph->setPen(QPen(colour, bold ? 3.5 : 1.6));
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, bold ? 7 : 4));
        graph->setName(QString::number(line->run));
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

qint64 ParallelCoordinatesView::runAt(const QPointF& pos) const
{
    qint64 best = -1;
    double nearest = kNearPixels;
    for (int i = 0; i < m_lines.size(); ++i) {
        const Line& line = m_lines[i];
        const QVector<double>& h = m_heights[i];
        for (int a = 0; a + 1 < h.size(); ++a) {
            if (std::isnan(h[a]) || std::isnan(h[a + 1])) continue;
            const QPointF p(m_plot->xAxis->coordToPixel(a), m_plot->yAxis->coordToPixel(h[a]));
            const QPointF q(m_plot->xAxis->coordToPixel(a + 1), m_plot->yAxis->coordToPixel(h[a + 1]));
            const double d = distanceToSegment(pos, p, q);
            // A selected run wins a tie: it is the one drawn on top.
            if (d < nearest || (d == nearest && m_highlighted.contains(line.run))) {
                nearest = d;
                best = line.run;
            }
        }
    }
    return best;
}

QString ParallelCoordinatesView::readout(qint64 run) const
{
    for (const Line& line : m_lines) {
        if (line.run != run) continue;
        QStringList rows{tr("run %1").arg(run)};
        for (int a = 0; a < m_axes.size(); ++a) {
            const QString value = line.values.value(a);
            rows << tr("%1: %2").arg(m_axes[a].name, value.isEmpty() ? QStringLiteral("—") : value);
        }
        return rows.join(QLatin1Char('\n'));
    }
    return {};
}

int ParallelCoordinatesView::axisAt(double x) const
{
    for (int a = 0; a < m_axes.size(); ++a)
        if (std::abs(m_plot->xAxis->coordToPixel(a) - x) <= kNearPixels + 3) return a;
    return -1;
}

QList<qint64> ParallelCoordinatesView::brushedRuns() const
{
    QList<qint64> runs;
    if (m_brushes.isEmpty()) return runs;
    for (int i = 0; i < m_lines.size(); ++i) {
        const QVector<double>& h = m_heights[i];
        bool inside = true;
        for (auto it = m_brushes.begin(); it != m_brushes.end() && inside; ++it)
            inside = it.key() < h.size() && h[it.key()] >= it->first && h[it.key()] <= it->second;
        if (inside) runs << m_lines[i].run;
    }
    return runs;
}

void ParallelCoordinatesView::onMousePress(QMouseEvent* event)
{
    m_brush = Brush{};
    const int axis = axisAt(event->position().x());
    if (axis >= 0 && event->position().y() > m_plot->axisRect()->bottom()) { // its name: colour by it
        setColourAxis(axis);
        return;
    }
    if (axis >= 0) { // a brush if the mouse moves, a click on a line if it does not
        m_brush.axis = axis;
        m_brush.pressed = event->position();
        m_brush.from = m_brush.to = m_plot->yAxis->pixelToCoord(event->position().y());
        return;
    }
    const qint64 run = runAt(event->position());
    if (run >= 0) Q_EMIT runClicked(run, event->modifiers() & Qt::ControlModifier);
}

void ParallelCoordinatesView::onMouseRelease(QMouseEvent* event)
{
    const Brush brush = m_brush;
    m_brush = Brush{};
    if (brush.axis < 0) return;
    const bool adding = event->modifiers() & Qt::ControlModifier;
    if (!brush.dragging) {
        const qint64 run = runAt(event->position());
        if (run >= 0) Q_EMIT runClicked(run, adding);
        else if (m_brushes.remove(brush.axis)) { // a click on a brushed axis, on no line: the brush goes
            redraw();
            Q_EMIT runsBrushed(brushedRuns(), adding);
        }
        return;
    }
    // Within the axis's range: a drag past its end brushes to the end.
    m_brushes[brush.axis] = {std::max(0.0, std::min(brush.from, brush.to)),
                             std::min(1.0, std::max(brush.from, brush.to))};
    redraw(); // the dragged rectangle becomes the brush's band
    Q_EMIT runsBrushed(brushedRuns(), adding);
}

void ParallelCoordinatesView::onMouseMove(QMouseEvent* event)
{
    if (m_brush.axis >= 0) {
        const QPointF moved = event->position() - m_brush.pressed;
        m_brush.dragging = m_brush.dragging || std::abs(moved.y()) > 3;
        if (!m_brush.dragging) return;
        m_brush.to = m_plot->yAxis->pixelToCoord(event->position().y());
        // The range being brushed, as a band across the axis.
        if (!m_brushRect) {
            m_brushRect = new QCPItemRect(m_plot);
            m_brushRect->setLayer(QStringLiteral("axes"));
            QColor fill = palette().color(QPalette::Highlight);
            fill.setAlpha(40);
            m_brushRect->setBrush(fill);
            m_brushRect->setPen(QPen(palette().color(QPalette::Highlight)));
        }
        m_brushRect->topLeft->setCoords(m_brush.axis - 0.12, std::max(m_brush.from, m_brush.to));
        m_brushRect->bottomRight->setCoords(m_brush.axis + 0.12, std::min(m_brush.from, m_brush.to));
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const qint64 run = runAt(event->position());
    if (run < 0) QToolTip::hideText();
    else QToolTip::showText(event->globalPosition().toPoint(), readout(run), m_plot);
}

} // namespace ra::widgets
