#include "embeddingmapview.h"

#include "colours.h"
#include "qcustomplotinclude.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ra::widgets {
namespace {

constexpr int kMostNamedClasses = 20;

} // namespace

EmbeddingMapView::EmbeddingMapView(QWidget* parent)
    : QWidget(parent), m_plot(new QCustomPlot), m_projection(new QComboBox), m_message(new QLabel), m_note(new QLabel)
{
    m_projection->addItem(tr("PCA: one frame, distances kept"));
    m_projection->addItem(tr("t-SNE: neighbours kept"));
    m_projection->setToolTip(tr("PCA draws both alphas on the plane that shows most of their spread, so a point's "
                                "move is its embedding's move, but clusters apart in 512 dimensions may overlap. "
                                "t-SNE keeps each image's nearest neighbours, so whether the classes stay apart "
                                "shows; the distances between clusters mean little."));
    connect(m_projection, &QComboBox::currentIndexChanged, this, &EmbeddingMapView::projectionChanged);
    m_plot->plotLayout()->clear();
    for (int i = 0; i < 2; ++i) {
        m_titles[i] = new QCPTextElement(m_plot, QString(), QFont(font().family(), font().pointSize(), QFont::Bold));
        m_plot->plotLayout()->addElement(0, i, m_titles[i]);
        m_rects[i] = new QCPAxisRect(m_plot);
        m_plot->plotLayout()->addElement(1, i, m_rects[i]);
        // The plane's coordinates have no unit worth reading: only the directions are labelled.
        for (QCPAxis* axis : {m_rects[i]->axis(QCPAxis::atBottom), m_rects[i]->axis(QCPAxis::atLeft)}) {
            axis->setTickLabels(false);
            axis->setTicks(false);
            axis->grid()->setVisible(false);
        }
        m_rects[i]->setupFullAxesBox(true);
    }
    setAxesNames(Projection::Pca);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.01);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_note->setWordWrap(true);
    auto* choice = new QHBoxLayout;
    choice->addWidget(new QLabel(tr("Projection:")));
    choice->addWidget(m_projection);
    choice->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(choice);
    layout->addWidget(m_message, 1);
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_note);
    applyPalette(m_plot, palette());
    showMessage(tr("After a run finishes: the chosen set's image embeddings at alpha 0 and at the slider's alpha, "
                   "side by side"));
}

void EmbeddingMapView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) applyPalette(m_plot, palette());
    QWidget::changeEvent(event);
}

EmbeddingMapView::Projection EmbeddingMapView::projection() const
{
    return m_projection->currentIndex() == 1 ? Projection::Tsne : Projection::Pca;
}

void EmbeddingMapView::setAxesNames(Projection projection)
{
    const bool tsne = projection == Projection::Tsne;
    for (QCPAxisRect* rect : m_rects) {
        rect->axis(QCPAxis::atBottom)->setLabel(tsne ? tr("t-SNE, first") : tr("first principal direction"));
        rect->axis(QCPAxis::atLeft)->setLabel(tr("second"));
    }
}

QString EmbeddingMapView::message() const { return m_message->isHidden() ? QString() : m_message->text(); }

QString EmbeddingMapView::title(int panel) const
{
    return panel == 0 || panel == 1 ? m_titles[panel]->text() : QString();
}

void EmbeddingMapView::showMessage(const QString& text)
{
    m_message->setText(text);
    m_message->setVisible(true);
    m_plot->setVisible(false);
    m_note->setVisible(false);
    m_points = {0, 0};
    m_wrong = {0, 0};
}

void EmbeddingMapView::setPanels(const QStringList& classNames, const Panel& left, const Panel& right,
                                 const QString& note)
{
    m_plot->clearPlottables(); // the points' graphs and the links' curves
    m_plot->clearItems();
    drawPanel(0, classNames, left);
    drawPanel(1, classNames, right);
    // One range for both panels: the same frame, not two pictures scaled apart.
    QCPRange xs, ys;
    bool first = true;
    for (const Panel* p : {&left, &right})
        for (const QVector<QPointF>* v : {&p->points, &p->classes})
            for (const QPointF& q : *v) {
                if (!std::isfinite(q.x()) || !std::isfinite(q.y())) continue; // a class without a place
                xs = first ? QCPRange(q.x(), q.x()) : QCPRange(std::min(xs.lower, q.x()), std::max(xs.upper, q.x()));
                ys = first ? QCPRange(q.y(), q.y()) : QCPRange(std::min(ys.lower, q.y()), std::max(ys.upper, q.y()));
                first = false;
            }
    const double margin = 0.05 * std::max({xs.size(), ys.size(), 1e-6});
    // Names above their points need room above the highest.
    const double top = left.namesAbove || right.namesAbove ? 3 * margin : margin;
    for (QCPAxisRect* rect : m_rects) {
        rect->axis(QCPAxis::atBottom)->setRange(xs.lower - margin, xs.upper + margin);
        rect->axis(QCPAxis::atLeft)->setRange(ys.lower - margin, ys.upper + top);
    }
    m_note->setText(note);
    m_message->setVisible(false);
    m_plot->setVisible(true);
    m_note->setVisible(true);
    m_plot->replot();
}

void EmbeddingMapView::drawPanel(int index, const QStringList& classNames, const Panel& panel)
{
    QCPAxisRect* rect = m_rects[index];
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    m_titles[index]->setText(panel.caption.isEmpty() ? panel.title : panel.title + "\n" + panel.caption);
    // The links under the points: one curve, broken between pairs (QCustomPlot leaves a gap at NaN).
    if (!panel.links.isEmpty()) {
        auto* lines = new QCPCurve(x, y);
        QVector<double> t, xs, ys;
        for (const auto& [a, b] : panel.links) {
            if (a < 0 || b < 0 || a >= panel.points.size() || b >= panel.points.size()) continue;
            for (const QPointF& q : {panel.points[a], panel.points[b], QPointF(qQNaN(), qQNaN())}) {
                t << double(t.size());
                xs << q.x();
                ys << q.y();
            }
        }
        lines->setData(t, xs, ys);
        QColor grey = palette().color(QPalette::Mid);
        grey.setAlpha(110);
        lines->setPen(QPen(grey, 1));
        m_links[index] = int(panel.links.size());
    } else {
        m_links[index] = 0;
    }
    // One scatter per class and kind (right: a dot, wrong: a cross), so each keeps its colour.
    QMap<int, QPair<QVector<double>, QVector<double>>> right, wrong;
    int wrongCount = 0;
    for (int i = 0; i < panel.points.size(); ++i) {
        const bool ok = i < panel.predictions.size() && panel.predictions[i] == panel.labels.value(i);
        auto& series = (ok ? right : wrong)[panel.labels.value(i)];
        series.first.push_back(panel.points[i].x());
        series.second.push_back(panel.points[i].y());
        wrongCount += !ok;
    }
    auto scatter = [&](const QMap<int, QPair<QVector<double>, QVector<double>>>& byClass,
                       QCPScatterStyle::ScatterShape shape, double size) {
        for (auto it = byClass.begin(); it != byClass.end(); ++it) {
            QCPGraph* g = m_plot->addGraph(x, y);
            g->setLineStyle(QCPGraph::lsNone);
            QColor colour = seriesColour(it.key());
            g->setScatterStyle(
                QCPScatterStyle(shape, colour, shape == QCPScatterStyle::ssDisc ? colour : Qt::transparent, size));
            g->setData(it.value().first, it.value().second);
        }
    };
    scatter(right, QCPScatterStyle::ssDisc, 4);
    scatter(wrong, QCPScatterStyle::ssCross, 6);
    m_points[index] = int(panel.points.size());
    m_wrong[index] = wrongCount;
    if (panel.classes.size() > kMostNamedClasses) return;
    // A name centred on a point near a side would reach past it: one near the left side starts at
    // its point, one near the right side ends there, the others are centred on theirs.
    double least = qInf(), most = -qInf();
    for (const QVector<QPointF>* v : {&panel.points, &panel.classes})
        for (const QPointF& q : *v)
            if (std::isfinite(q.x())) least = std::min(least, q.x()), most = std::max(most, q.x());
    const double nearSide = 0.15 * (most - least);
    for (int c = 0; c < panel.classes.size(); ++c) {
        if (!std::isfinite(panel.classes[c].x()) || !std::isfinite(panel.classes[c].y())) continue;
        auto* name = new QCPItemText(m_plot);
        name->setClipAxisRect(rect);
        name->position->setAxes(x, y);
        name->position->setCoords(panel.classes[c].x(), panel.classes[c].y());
        name->setText(classNames.value(c, QString::number(c)));
        QFont f = font();
        f.setBold(true);
        name->setFont(f);
        name->setColor(Qt::white);
        name->setBrush(seriesColour(c));
        name->setPadding(QMargins(3, 1, 3, 1));
        if (panel.namesAbove) name->setPositionAlignment(Qt::AlignBottom | Qt::AlignHCenter);
        else if (panel.classes[c].x() - least < nearSide) name->setPositionAlignment(Qt::AlignVCenter | Qt::AlignLeft);
        else if (most - panel.classes[c].x() < nearSide) name->setPositionAlignment(Qt::AlignVCenter | Qt::AlignRight);
    }
}

} // namespace ra::widgets
