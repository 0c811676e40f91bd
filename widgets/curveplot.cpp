#include "curveplot.h"

#include "plotexport.h"
#include "colours.h"
#include "qcustomplotinclude.h"

#include <QFontMetricsF>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ra::widgets {

namespace {

// Percent to the logit axis and back. Clamped to 0.05–99.95 %: 0 and 100 % would be infinitely
// far away, and a set of 2,000 images cannot tell anything closer to them apart.
double logitOfPercent(double percent)
{
    const double q = std::clamp(percent / 100, 0.0005, 0.9995);
    return std::log(q / (1 - q));
}

double percentOfLogit(double logit) { return 100 / (1 + std::exp(-logit)); }

// Ticks of a logit axis at round percentages, labelled in percent: every 5 points as wise-ft's
// plots have them, and the tails' 1, 2, 98, 99, 99.5 … where the logit spreads them out. Taken
// in order of roundness, each only where it keeps a twelfth of the axis from those before it, so
// the middle (where 5 points are a short distance) is not crowded; a short axis gets whole
// percents.
class LogitPercentTicker : public QCPAxisTicker {
protected:
    int getSubTickCount(double) override { return 0; }
    QString getTickLabel(double tick, const QLocale& locale, QChar, int) override
    {
        return locale.toString(percentOfLogit(tick), 'g', 4);
    }
    QVector<double> createTickVector(double, const QCPRange& range) override
    {
        QVector<double> byRoundness = {50, 10, 20, 30, 40, 60, 70, 80, 90, 5, 95, 1, 99, 2, 98};
        for (int p = 15; p <= 85; p += 10) byRoundness << p;
        byRoundness << 0.5 << 99.5 << 0.2 << 99.8 << 0.1 << 99.9;
        const double spacing = range.size() / 12;
        QVector<double> ticks;
        auto take = [&](double percent) {
            const double at = logitOfPercent(percent);
            if (range.contains(at) &&
                std::all_of(ticks.begin(), ticks.end(), [&](double t) { return std::abs(t - at) >= spacing; }))
                ticks << at;
        };
        for (double percent : std::as_const(byRoundness)) take(percent);
        if (ticks.size() < 4) // a short axis: whole percents between
            for (int percent = 3; percent <= 97; ++percent) take(percent);
        std::sort(ticks.begin(), ticks.end());
        return ticks;
    }
};

} // namespace

CurvePlot::CurvePlot(const QString& xLabel, const QString& yLabel, QWidget* parent)
    : QWidget(parent), m_plot(new QCustomPlot(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->xAxis->setLabel(xLabel);
    m_plot->yAxis->setLabel(yLabel);
    m_plot->legend->setVisible(false);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setMinimumSize(320, 200);
    m_placeholder = new QCPItemText(m_plot);
    m_placeholder->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_placeholder->position->setCoords(0.5, 0.5);
    m_placeholder->setColor(QColor(130, 130, 130));
    m_placeholder->setVisible(false);
    connect(m_plot->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] { placeMarkerLabel(); });
    m_replotTimer.setSingleShot(true);
    m_replotTimer.setInterval(50); // at most ~20 redraws a second, however fast points arrive
    connect(&m_replotTimer, &QTimer::timeout, this, [this] {
        // No empty legend box before the first curve or path (a scatter has paths only).
        const bool drawn = !m_graphs.isEmpty() || !m_paths.isEmpty();
        // A legend of a hundred runs' curves would cover the plot: past kMostLegendEntries the
        // hover read-out names each curve instead.
        const bool legend = drawn && m_plot->legend->itemCount() <= kMostLegendEntries;
        m_plot->legend->setVisible(legend);
        if (m_legendColumn) showLegendColumn(legend);
        m_placeholder->setVisible(!drawn && !m_placeholder->text().isEmpty());
        // A little room around the data, so points on the edge (zero-shot, alpha 1.5) stay visible;
        // more on the right, where a path's labels ("α 1.3") are written beside its points.
        auto pad = [](QCPAxis* axis, double after) {
            const QCPRange r = axis->range();
            axis->setRange(r.lower - std::max(r.size() * 0.04, 1e-6), r.upper + std::max(r.size() * after, 1e-6));
        };
        // The x-axis spans at least the minimum range, padded as the data are.
        auto spanMinimumAndPadX = [&] {
            if (m_minimumXRange) {
                const QCPRange r = m_plot->xAxis->range();
                const double lower = axisPoint(m_minimumXRange->first, 0).x();
                const double upper = axisPoint(m_minimumXRange->second, 0).x();
                m_plot->xAxis->setRange(drawn ? std::min(r.lower, lower) : lower,
                                        drawn ? std::max(r.upper, upper) : upper);
            }
            if (m_logX) { // padding by a factor: a logarithmic axis has no room below zero
                const QCPRange r = m_plot->xAxis->range();
                m_plot->xAxis->setRange(r.lower / 1.4, r.upper * 1.4);
            } else {
                pad(m_plot->xAxis, m_paths.isEmpty() ? 0.04 : 0.08);
            }
        };
        if (!drawn && m_emptyRange) {
            const QPointF lower = axisPoint(m_emptyRange->first.x(), m_emptyRange->first.y());
            const QPointF upper = axisPoint(m_emptyRange->second.x(), m_emptyRange->second.y());
            m_plot->xAxis->setRange(lower.x(), upper.x());
            m_plot->yAxis->setRange(lower.y(), upper.y());
            // While a run trains, an empty plot (the accuracy plot before the first evaluation)
            // spans the run's steps as the drawn loss plot beside it does, so a step is at one place.
            if (m_minimumXRange) spanMinimumAndPadX();
            m_plot->replot(QCustomPlot::rpQueuedReplot);
            return;
        }
        m_plot->rescaleAxes();
        spanMinimumAndPadX();
        if (m_fixedY) m_plot->yAxis->setRange(axisPoint(0, m_yRange.first).y(), axisPoint(0, m_yRange.second).y());
        else pad(m_plot->yAxis, 0.04);
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    });
    connect(m_plot, &QCustomPlot::mouseMove, this, &CurvePlot::onMouseMove);
    applyPalette(m_plot, palette());
    // After the layout step the axes map coordinates to this draw's pixels (exports included).
    connect(m_plot, &QCustomPlot::afterLayout, this, &CurvePlot::placeLegendAndLabels);
    connect(m_plot, &QCustomPlot::afterLayout, this, &CurvePlot::wrapPlaceholder);
}

CurvePlot::~CurvePlot()
{
    // Out of the layout, the column (with the legend) is ours to delete, while the plot still lives.
    if (m_legendColumn && !m_plot->plotLayout()->hasElement(0, 1)) delete m_legendColumn;
}

QCPGraph* CurvePlot::graph(const QString& series)
{
    auto it = m_graphs.find(series);
    if (it != m_graphs.end()) return *it;
    QCPGraph* g = m_plot->addGraph();
    g->setName(series);
    QPen pen(seriesColour(int(m_graphs.size() + m_paths.size())));
    pen.setWidthF(2);
    g->setPen(pen);
    g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, m_pointSize));
    m_graphs.insert(series, g);
    return g;
}

QPointF CurvePlot::axisPoint(double x, double y) const
{
    return m_logit ? QPointF(logitOfPercent(x), logitOfPercent(y)) : QPointF(x, y);
}

std::pair<QVector<double>, QVector<double>> CurvePlot::keep(const void* plottable, const QVector<double>& x,
                                                            const QVector<double>& y)
{
    QVector<QPointF>& given = m_given[plottable];
    given.clear();
    std::pair<QVector<double>, QVector<double>> onAxes;
    for (int i = 0; i < x.size() && i < y.size(); ++i) {
        given << QPointF(x[i], y[i]);
        const QPointF a = axisPoint(x[i], y[i]);
        onAxes.first << a.x();
        onAxes.second << a.y();
    }
    return onAxes;
}

void CurvePlot::setGraphPoints(QCPGraph* g, const QVector<double>& x, const QVector<double>& y)
{
    const auto [ax, ay] = keep(g, x, y);
    g->setData(ax, ay, true);
}

void CurvePlot::addGraphPoint(QCPGraph* g, double x, double y)
{
    m_given[g] << QPointF(x, y);
    const QPointF a = axisPoint(x, y);
    g->addData(a.x(), a.y());
}

void CurvePlot::setCurvePoints(QCPCurve* c, const QVector<double>& x, const QVector<double>& y)
{
    const auto [ax, ay] = keep(c, x, y);
    c->setData(ax, ay); // in the order given: a path's points are not sorted by x
}

void CurvePlot::addPoint(const QString& series, double x, double y)
{
    addGraphPoint(graph(series), x, y);
    if (m_smoothing.contains(series)) {
        if (graph(series)->dataCount() == 1) styleSmoothed(series); // a new series (after clear())
        Smoothing& s = m_smoothing[series];
        addGraphPoint(graph(s.name), x, s.add(y));
    }
    scheduleReplot();
}

void CurvePlot::setSmoothing(const QString& series, const QString& smoothed, double weight)
{
    m_smoothing[series] = {smoothed, std::clamp(weight, 0.0, 0.999)};
    redrawSmoothed(series);
}

void CurvePlot::styleSmoothed(const QString& series)
{
    // The raw points faint and thin behind their average, both in the raw series' colour.
    QCPGraph* raw = graph(series);
    QCPGraph* smoothed = graph(m_smoothing[series].name);
    QColor colour = raw->property("colour").value<QColor>();
    if (!colour.isValid()) {
        colour = raw->pen().color();
        raw->setProperty("colour", colour);
    }
    QColor faint = colour;
    faint.setAlpha(70);
    raw->setPen(QPen(faint, 1));
    raw->setScatterStyle(QCPScatterStyle::ssNone);
    smoothed->setPen(QPen(colour, 2));
    smoothed->setScatterStyle(QCPScatterStyle::ssNone);
}

double CurvePlot::Smoothing::add(double y)
{
    ema = weight * ema + (1 - weight) * y;
    ++count;
    return ema / (1 - std::pow(weight, count));
}

void CurvePlot::redrawSmoothed(const QString& series)
{
    Smoothing& s = m_smoothing[series];
    styleSmoothed(series);
    QCPGraph* raw = graph(series);
    QCPGraph* smoothed = graph(s.name);
    QVector<double> x, y;
    s.ema = 0;
    s.count = 0;
    for (const QPointF& p : std::as_const(m_given[raw])) {
        x << p.x();
        y << s.add(p.y());
    }
    setGraphPoints(smoothed, x, y);
    scheduleReplot();
}

void CurvePlot::setBand(const QString& series, const QVector<double>& x, const QVector<double>& lower,
                        const QVector<double>& upper)
{
    QColor colour = graph(series)->pen().color();
    colour.setAlpha(50);
    auto band = m_bands.value(series, {nullptr, nullptr});
    if (!band.first) {
        band = {m_plot->addGraph(), m_plot->addGraph()};
        for (QCPGraph* edge : {band.first, band.second}) {
            edge->setPen(Qt::NoPen);
            edge->removeFromLegend();
            edge->setSelectable(QCP::stNone);
        }
        band.second->setBrush(colour);
        band.second->setChannelFillGraph(band.first); // filled between the two edges
        m_bands.insert(series, band);
    }
    setGraphPoints(band.first, x, lower);
    setGraphPoints(band.second, x, upper);
    scheduleReplot();
}

double CurvePlot::smoothedValue(const QString& series, int i) const
{
    const auto s = m_smoothing.find(series);
    if (s == m_smoothing.end() || !m_graphs.contains(s->name)) return 0;
    const QVector<QPointF> given = m_given.value(m_graphs.value(s->name));
    return i >= 0 && i < given.size() ? given[i].y() : 0;
}

void CurvePlot::setSeries(const QString& series, const QVector<double>& x, const QVector<double>& y)
{
    setGraphPoints(graph(series), x, y);
    scheduleReplot();
}

void CurvePlot::setPath(const QString& series, const QVector<double>& x, const QVector<double>& y,
                        const QStringList& labels)
{
    QCPCurve* c = m_paths.value(series);
    if (!c) {
        c = new QCPCurve(m_plot->xAxis, m_plot->yAxis);
        c->setName(series);
        QPen pen(seriesColour(int(m_graphs.size() + m_paths.size())));
        pen.setWidthF(2);
        c->setPen(pen);
        c->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 6));
        m_paths.insert(series, c);
    }
    setCurvePoints(c, x, y);
    for (auto it = m_pathLabels.begin(); it != m_pathLabels.end();) {
        if ((*it)->objectName() != series) {
            ++it;
            continue;
        }
        m_plot->removeItem(*it);
        it = m_pathLabels.erase(it);
    }
    m_pointNames[series] = labels;
    for (int i = 0; i < labels.size() && i < x.size() && labels.size() <= kMostWrittenLabels; ++i) {
        auto* text = new QCPItemText(m_plot);
        text->setObjectName(series);
        text->setProperty("given", QPointF(x[i], y[i])); // placed again when the scale changes
        const QPointF a = axisPoint(x[i], y[i]);
        text->position->setCoords(a.x(), a.y());
        text->setText(labels[i]);
        text->setPadding(QMargins(4, 3, 4, 3)); // clear of the point's own marker
        text->setColor(c->pen().color());
        text->setClipToAxisRect(true);
        m_pathLabels << text;
    }
    scheduleReplot();
}

void CurvePlot::setScatter(const QString& series, const QVector<double>& x, const QVector<double>& y,
                           const QStringList& labels)
{
    setPath(series, x, y, labels);
    QCPCurve* c = m_paths.value(series);
    c->setLineStyle(QCPCurve::lsNone);
    c->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 8));
}

void CurvePlot::setLogX(bool logarithmic)
{
    if (logarithmic == m_logX) return;
    m_logX = logarithmic;
    m_plot->xAxis->setScaleType(logarithmic ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (logarithmic) m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    else m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    scheduleReplot();
}

void CurvePlot::setLogitAxes(bool logit)
{
    if (logit == m_logit) return;
    m_logit = logit;
    for (QCPAxis* axis : {m_plot->xAxis, m_plot->yAxis}) {
        if (logit) axis->setTicker(QSharedPointer<QCPAxisTicker>(new LogitPercentTicker));
        else axis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    }
    placeAll();
}

void CurvePlot::placeAll()
{
    for (int i = 0; i < m_plot->plottableCount(); ++i) {
        QCPAbstractPlottable* p = m_plot->plottable(i);
        QVector<double> x, y;
        for (const QPointF& g : m_given.value(p)) {
            x << g.x();
            y << g.y();
        }
        if (auto* g = qobject_cast<QCPGraph*>(p)) setGraphPoints(g, x, y);
        else if (auto* c = qobject_cast<QCPCurve*>(p)) setCurvePoints(c, x, y);
    }
    for (QCPItemText* text : std::as_const(m_pathLabels)) {
        const QPointF given = text->property("given").toPointF();
        const QPointF a = axisPoint(given.x(), given.y());
        text->position->setCoords(a.x(), a.y());
    }
    scheduleReplot();
}

void CurvePlot::placeLegendAndLabels()
{
    const QList<QRectF> data = dataRects();
    placeLegend(data);
    placePathLabels(data);
}

QPointF CurvePlot::pixel(double key, double value) const
{
    return QPointF(m_plot->xAxis->coordToPixel(key), m_plot->yAxis->coordToPixel(value));
}

QList<QRectF> CurvePlot::dataRects() const
{
    QList<QRectF> rects;
    auto addSeries = [&](const auto& data, double markerSize, bool lines) {
        QPointF previous;
        for (auto p = data->constBegin(); p != data->constEnd(); ++p) {
            const QPointF at = pixel(p->key, p->value);
            rects << QRectF(at.x() - markerSize / 2, at.y() - markerSize / 2, markerSize, markerSize);
            if (lines && p != data->constBegin()) {
                const int samples = int(QLineF(previous, at).length() / 4);
                for (int s = 1; s < samples; ++s) {
                    const QPointF q = previous + (at - previous) * (double(s) / samples);
                    rects << QRectF(q.x() - 1.5, q.y() - 1.5, 3, 3);
                }
            }
            previous = at;
        }
    };
    for (QCPGraph* g : std::as_const(m_graphs))
        addSeries(g->data(), g->scatterStyle().size() + 2, g->lineStyle() != QCPGraph::lsNone);
    for (QCPCurve* c : std::as_const(m_paths)) addSeries(c->data(), c->scatterStyle().size() + 2, true);
    return rects;
}

void CurvePlot::setLegendCorner(Qt::Alignment corner)
{
    m_legendCorner = corner;
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, corner);
    scheduleReplot();
}

Qt::Alignment CurvePlot::legendCorner() const
{
    return m_legendColumn ? Qt::Alignment() : m_plot->axisRect()->insetLayout()->insetAlignment(0);
}

void CurvePlot::placeLegend(const QList<QRectF>& data)
{
    QCPLayoutInset* inset = m_plot->axisRect()->insetLayout();
    if (m_legendColumn || !m_plot->legend->visible() || inset->elementCount() == 0) return;
    const QRectF area = inset->rect();
    const QSizeF size = m_plot->legend->outerRect().size();
    auto hidden = [&](Qt::Alignment corner) { // the area of markers and lines under the legend there
        const double left = (corner & Qt::AlignLeft) ? area.left() : area.right() - size.width();
        const double top = (corner & Qt::AlignTop) ? area.top() : area.bottom() - size.height();
        const QRectF legend(QPointF(left, top), size);
        double sum = 0;
        for (const QRectF& d : data) {
            const QRectF under = legend.intersected(d);
            sum += under.width() * under.height();
        }
        return sum;
    };
    const Qt::Alignment now = inset->insetAlignment(0);
    Qt::Alignment best = m_legendCorner;
    double bestHidden = hidden(m_legendCorner);
    if (bestHidden > 0) {
        const double nowHidden = now == m_legendCorner ? bestHidden : hidden(now);
        best = now;
        bestHidden = nowHidden;
        for (Qt::Alignment corner : {Qt::AlignBottom | Qt::AlignRight, Qt::AlignBottom | Qt::AlignLeft,
                                     Qt::AlignTop | Qt::AlignLeft, Qt::AlignTop | Qt::AlignRight}) {
            const double h = hidden(corner);
            if (h < bestHidden && (h == 0 || h < nowHidden / 2)) {
                best = corner;
                bestHidden = h;
            }
        }
    }
    if (best == now) return;
    inset->setInsetAlignment(0, best);
    inset->update(QCPLayoutElement::upLayout); // this draw already: the legend and its entries move
}

void CurvePlot::placePathLabels(const QList<QRectF>& obstacles)
{
    if (m_pathLabels.isEmpty()) return;
    // What a label should not cover: the markers of every series, their lines (OBSTACLES), the
    // legend, and the labels placed before it (these two count double: text on text is unreadable).
    QList<QRectF> placed;
    if (m_plot->legend->visible() && !m_legendColumn) placed << QRectF(m_plot->legend->outerRect());
    const QRectF inside = m_plot->axisRect()->rect();
    // The four corners first (right-above is where the labels always went), then the four sides.
    const Qt::Alignment sides[] = {Qt::AlignLeft | Qt::AlignBottom,    Qt::AlignLeft | Qt::AlignTop,
                                   Qt::AlignRight | Qt::AlignBottom,   Qt::AlignRight | Qt::AlignTop,
                                   Qt::AlignHCenter | Qt::AlignBottom, Qt::AlignHCenter | Qt::AlignTop,
                                   Qt::AlignLeft | Qt::AlignVCenter,   Qt::AlignRight | Qt::AlignVCenter};
    for (QCPItemText* text : std::as_const(m_pathLabels)) {
        const QPointF at = pixel(text->position->key(), text->position->value());
        const QMargins pad = text->padding();
        const QSizeF size = QFontMetricsF(text->font()).size(0, text->text()) +
            QSizeF(pad.left() + pad.right(), pad.top() + pad.bottom());
        QRectF best;
        double bestCost = 1e300;
        for (Qt::Alignment side : sides) {
            const double left = (side & Qt::AlignLeft) ? at.x()
                : (side & Qt::AlignRight)              ? at.x() - size.width()
                                                       : at.x() - size.width() / 2;
            const double top = (side & Qt::AlignBottom) ? at.y() - size.height()
                : (side & Qt::AlignTop)                 ? at.y()
                                                        : at.y() - size.height() / 2;
            const QRectF r(QPointF(left, top), size);
            // The area hidden: other labels and the legend count double, markers and lines once,
            // and whatever falls outside the axes (clipped away) once.
            const QRectF visible = r.intersected(inside);
            double cost = size.width() * size.height() - visible.width() * visible.height();
            for (const QRectF& o : std::as_const(obstacles)) {
                const QRectF hidden = r.intersected(o);
                cost += hidden.width() * hidden.height();
            }
            for (const QRectF& l : std::as_const(placed)) {
                const QRectF hidden = r.intersected(l);
                cost += 2 * hidden.width() * hidden.height();
            }
            if (cost < bestCost) {
                bestCost = cost;
                best = r;
                text->setPositionAlignment(side);
            }
        }
        placed << best;
    }
}

void CurvePlot::clear()
{
    m_plot->legend->clearItems(); // at once: one plottable at a time re-lays the legend out each time
    m_plot->clearPlottables();
    m_given.clear();
    m_graphs.clear();
    m_bands.clear();
    m_rings.clear();
    for (Smoothing& s : m_smoothing) s = {s.name, s.weight}; // the averages start again with the points
    m_paths.clear();
    m_pointNames.clear();
    m_minimumXRange.reset();
    for (QCPItemText* t : m_pathLabels) m_plot->removeItem(t);
    m_pathLabels.clear();
    if (m_marker) {
        m_plot->removeItem(m_marker);
        m_plot->removeItem(m_markerLabel);
        m_marker = nullptr;
        m_markerLabel = nullptr;
    }
    scheduleReplot();
}

void CurvePlot::setMarker(const QString& label, double x)
{
    if (!m_marker) {
        m_marker = new QCPItemStraightLine(m_plot);
        m_markerLabel = new QCPItemText(m_plot);
        // x in the plot's coordinates, y along the axis rectangle: the line spans whatever range
        // the curves give the y axis, and the label sits at its top whatever the scale.
        m_markerLabel->position->setTypeX(QCPItemPosition::ptPlotCoords);
        m_markerLabel->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        m_markerLabel->setPadding(QMargins(4, 2, 4, 2));
        styleMarker();
    }
    m_marker->point1->setCoords(x, 0);
    m_marker->point2->setCoords(x, 1);
    m_markerLabel->position->setCoords(x, 0.02);
    m_markerLabel->setText(label);
    placeMarkerLabel();
    scheduleReplot();
}

void CurvePlot::ringPoint(const QString& series, double x)
{
    const auto it = m_graphs.find(series);
    if (it == m_graphs.end() || m_given.value(*it).isEmpty()) return;
    const QVector<QPointF> points = m_given.value(*it);
    const QPointF nearest = *std::min_element(points.begin(), points.end(), [x](const QPointF& a, const QPointF& b) {
        return std::abs(a.x() - x) < std::abs(b.x() - x);
    });
    QCPGraph*& ring = m_rings[series];
    if (!ring) {
        ring = m_plot->addGraph();
        ring->removeFromLegend();
        ring->setLineStyle(QCPGraph::lsNone);
        ring->setSelectable(QCP::stNone);
    }
    ring->setPen(QPen((*it)->pen().color(), 2));
    ring->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 3 * m_pointSize + 2));
    setGraphPoints(ring, {nearest.x()}, {nearest.y()});
    scheduleReplot();
}

std::optional<QPointF> CurvePlot::ringedPoint(const QString& series) const
{
    const QCPGraph* ring = m_rings.value(series);
    if (!ring || m_given.value(ring).isEmpty()) return std::nullopt;
    return m_given.value(ring).front();
}

void CurvePlot::placeMarkerLabel()
{
    if (!m_marker) return;
    // Beside the line on the side with more room, so that a step near the end of the run (where
    // an early stop puts it) keeps its label inside the plot.
    const QCPRange range = m_plot->xAxis->range();
    const bool rightHalf = markerX() > range.center();
    m_markerLabel->setPositionAlignment((rightHalf ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop);
}

double CurvePlot::markerX() const { return m_marker ? m_marker->point1->coords().x() : 0; }
QString CurvePlot::markerLabel() const { return m_markerLabel ? m_markerLabel->text() : QString(); }

void CurvePlot::styleMarker()
{
    if (!m_marker) return;
    const QColor text = palette().color(QPalette::Text);
    QColor base = palette().color(QPalette::Base);
    base.setAlpha(220); // readable where the label crosses a curve
    m_marker->setPen(QPen(text, 1, Qt::DashLine));
    m_markerLabel->setColor(text);
    m_markerLabel->setBrush(base);
}

int CurvePlot::pointCount(const QString& series) const
{
    if (auto path = m_paths.find(series); path != m_paths.end()) return (*path)->dataCount();
    auto it = m_graphs.find(series);
    return it == m_graphs.end() ? 0 : (*it)->dataCount();
}

void CurvePlot::setYRange(double lower, double upper)
{
    m_fixedY = true;
    m_yRange = {lower, upper};
    m_plot->yAxis->setRange(lower, upper);
    scheduleReplot();
}

void CurvePlot::setEmptyRange(double xLower, double xUpper, double yLower, double yUpper)
{
    m_emptyRange = std::make_pair(QPointF(xLower, yLower), QPointF(xUpper, yUpper));
    scheduleReplot();
}

void CurvePlot::setMinimumXRange(double lower, double upper)
{
    if (m_minimumXRange && m_minimumXRange->first == lower && m_minimumXRange->second == upper) return;
    m_minimumXRange = std::make_pair(lower, upper);
    scheduleReplot();
}

void CurvePlot::alignAxesWith(CurvePlot* leader)
{
    // After each of the leader's layouts, our axis rect's minimum margins put its edges under the
    // leader's (auto margins still give our tick labels the room they need). QCustomPlot's own
    // minimum margins stay the floor: its 15 px above the axes keep the top tick label in view.
    const QMargins floor = m_plot->axisRect()->minimumMargins();
    connect(leader->m_plot, &QCustomPlot::afterLayout, this, [this, leader, floor] {
        const QRect axes = leader->m_plot->axisRect()->rect();
        const int left = m_plot->mapFromGlobal(leader->m_plot->mapToGlobal(axes.topLeft())).x();
        const int right = m_plot->width() -
            m_plot->mapFromGlobal(leader->m_plot->mapToGlobal(QPoint(axes.x() + axes.width(), axes.y()))).x();
        const QMargins margins(std::max(floor.left(), left), floor.top(), std::max(floor.right(), right),
                               floor.bottom());
        if (m_plot->axisRect()->minimumMargins() == margins) return;
        m_plot->axisRect()->setMinimumMargins(margins);
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    });
}

void CurvePlot::setLegendBesideAxes()
{
    if (m_legendColumn) return; // already there
    m_plot->axisRect()->insetLayout()->take(m_plot->legend);
    // A column right of the axes: the legend at its top, an empty element below taking the rest
    // of the height (alone in the cell, the legend would spread its entries over all of it).
    // Built inside the plot's layout, so that its elements know their plot, then taken out:
    // showLegendColumn alone puts it in, with its stretch, once the replot finds a curve.
    m_legendColumn = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(0, 1, m_legendColumn);
    m_legendColumn->addElement(0, 0, m_plot->legend);
    m_legendColumn->addElement(1, 0, new QCPLayoutElement(m_plot));
    m_legendColumn->setRowStretchFactor(0, 0.001);
    showLegendColumn(false);
    m_plot->legend->setBrush(Qt::NoBrush);
    m_plot->legend->setBorderPen(Qt::NoPen);
    scheduleReplot();
}

void CurvePlot::showLegendColumn(bool shown)
{
    QCPLayoutGrid* layout = m_plot->plotLayout();
    if (shown == layout->hasElement(0, 1)) return;
    if (shown) {
        layout->addElement(0, 1, m_legendColumn);
        layout->setColumnStretchFactor(1, 0.001); // as narrow as its entries allow
    } else {
        layout->take(m_legendColumn);
        layout->simplify(); // drops the empty column
    }
}

void CurvePlot::setXLabel(const QString& label)
{
    m_plot->xAxis->setLabel(label);
    scheduleReplot();
}

void CurvePlot::setYLabel(const QString& label)
{
    m_plot->yAxis->setLabel(label);
    scheduleReplot();
}

void CurvePlot::setPlaceholderText(const QString& text)
{
    m_placeholderText = text;
    m_placeholder->setText(text);
    scheduleReplot();
}

void CurvePlot::wrapPlaceholder()
{
    // QCPItemText does not wrap: a hint wider than a narrow plot (a docked or split view) would be
    // cut at both edges. Word by word into lines at most nine tenths of the axes' width.
    if (m_placeholderText.isEmpty()) return;
    const QFontMetricsF metrics(m_placeholder->font());
    const double width = 0.9 * m_plot->axisRect()->width();
    QStringList lines;
    for (const QString& paragraph : m_placeholderText.split('\n')) {
        QString line;
        for (const QString& word : paragraph.split(' ', Qt::SkipEmptyParts)) {
            const QString longer = line.isEmpty() ? word : line + ' ' + word;
            if (!line.isEmpty() && metrics.horizontalAdvance(longer) > width) {
                lines << line;
                line = word;
            } else {
                line = longer;
            }
        }
        lines << line;
    }
    m_placeholder->setText(lines.join('\n'));
}

void CurvePlot::scheduleReplot()
{
    if (!m_replotTimer.isActive()) m_replotTimer.start();
}

QString CurvePlot::readout(double x, double y) const
{
    QString best;
    double bestDistance = 1e300;
    // Nearest on the axes as drawn; read out in the series' own units.
    auto consider = [&](const QString& series, double key, double value) {
        const QPointF a = axisPoint(key, value);
        const double dx = (a.x() - x) / std::max(1e-12, m_plot->xAxis->range().size());
        const double dy = (a.y() - y) / std::max(1e-12, m_plot->yAxis->range().size());
        const double d = dx * dx + dy * dy;
        if (d < bestDistance) {
            bestDistance = d;
            best = QStringLiteral("%1\n%2 = %3, %4 = %5")
                       .arg(series, m_plot->xAxis->label())
                       .arg(key)
                       .arg(m_plot->yAxis->label())
                       .arg(value, 0, 'g', 4);
        }
    };
    for (auto it = m_graphs.begin(); it != m_graphs.end(); ++it)
        for (const QPointF& p : m_given.value(*it)) consider(it.key(), p.x(), p.y());
    for (auto it = m_paths.begin(); it != m_paths.end(); ++it) {
        const QStringList names = m_pointNames.value(it.key());
        int i = 0;
        for (const QPointF& p : m_given.value(*it)) {
            const QString name = names.value(i++);
            consider(name.isEmpty() ? it.key() : it.key() + QLatin1Char(' ') + name, p.x(), p.y());
        }
    }
    return best;
}

void CurvePlot::onMouseMove(QMouseEvent* event)
{
    const double x = m_plot->xAxis->pixelToCoord(event->pos().x()), y = m_plot->yAxis->pixelToCoord(event->pos().y());
    const QString text = readout(x, y);
    if (!text.isEmpty()) QToolTip::showText(event->globalPosition().toPoint(), text, m_plot);
}

void CurvePlot::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) {
        applyPalette(m_plot, palette());
        styleMarker();
    }
    QWidget::changeEvent(event);
}

bool CurvePlot::exportTo(const QString& path, QString* error) { return exportPlot(m_plot, path, error); }

} // namespace ra::widgets
