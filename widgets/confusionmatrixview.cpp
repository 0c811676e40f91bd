#include "confusionmatrixview.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace ra::widgets {
namespace {

constexpr int kMargin = 48;
// Below this many pixels a cell's count and the class names cannot be read: the matrix is then
// drawn as one heat-map image (an ImageNet matrix has a million cells) and read by hovering.
constexpr double kReadableCell = 14;

QColor cellColour(bool diagonal, double frac)
{
    return diagonal ? QColor::fromRgbF(0.12, 0.47, 0.71, 0.15 + 0.85 * frac)
                    : QColor::fromRgbF(0.84, 0.15, 0.16, 0.05 + 0.95 * frac);
}

} // namespace

ConfusionMatrixView::ConfusionMatrixView(QWidget* parent) : QWidget(parent) { setMinimumSize(240, 240); }

void ConfusionMatrixView::setMatrix(const QStringList& classNames, const std::vector<std::vector<int>>& counts)
{
    m_names = classNames;
    m_counts = counts;
    m_heat = QImage();
    update();
}

int ConfusionMatrixView::count(int t, int p) const
{
    if (t < 0 || p < 0 || size_t(t) >= m_counts.size() || size_t(p) >= m_counts[size_t(t)].size()) return 0;
    return m_counts[size_t(t)][size_t(p)];
}

double ConfusionMatrixView::cellSize() const
{
    const int n = int(m_counts.size());
    return n == 0 ? 0 : std::min(width() - kMargin - 8, height() - kMargin - 8) / double(n);
}

int ConfusionMatrixView::rowTotal(int t) const
{
    int total = 0;
    for (int c : m_counts[size_t(t)]) total += c;
    return total;
}

double ConfusionMatrixView::rowFraction(int t, int p) const
{
    const int total = rowTotal(t);
    return total ? double(count(t, p)) / total : 0;
}

QString ConfusionMatrixView::cellDescription(const QPoint& at) const
{
    const double cell = cellSize();
    if (cell <= 0 || at.x() < kMargin || at.y() < kMargin) return {};
    const int p = int((at.x() - kMargin) / cell), t = int((at.y() - kMargin) / cell);
    const int n = int(m_counts.size());
    if (t >= n || p >= n) return {};
    auto name = [this](int c) { return c < m_names.size() ? m_names[c] : QString::number(c); };
    return tr("true %1, predicted %2: %3 (%4 % of the class)")
        .arg(name(t), name(p))
        .arg(count(t, p))
        .arg(100 * rowFraction(t, p), 0, 'f', 1);
}

bool ConfusionMatrixView::event(QEvent* e)
{
    if (e->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(e);
        const QString text = cellDescription(help->pos());
        if (text.isEmpty()) QToolTip::hideText();
        else QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(e);
}

void ConfusionMatrixView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    const int n = int(m_counts.size());
    if (n == 0) {
        painter.drawText(rect(), Qt::AlignCenter, tr("No evaluation yet"));
        return;
    }
    const double cell = cellSize();
    if (cell < kReadableCell) {
        if (m_heat.isNull()) { // once per matrix: n x n pixels, one per cell
            m_heat = QImage(n, n, QImage::Format_ARGB32);
            for (int t = 0; t < n; ++t) {
                const int total = rowTotal(t);
                for (int p = 0; p < n; ++p)
                    m_heat.setPixelColor(p, t, cellColour(t == p, total ? double(count(t, p)) / total : 0));
            }
        }
        const QRectF square(kMargin, kMargin, n * cell, n * cell);
        painter.setRenderHint(QPainter::SmoothPixmapTransform, cell < 1); // several cells a pixel: average them
        painter.drawImage(square, m_heat);
        painter.setPen(palette().color(QPalette::Text));
        painter.drawText(QRectF(kMargin, 0, square.width(), kMargin - 4), Qt::AlignLeft | Qt::AlignBottom,
                         tr("predicted → (%1 classes; hover for a cell)").arg(n));
        painter.save();
        painter.translate(kMargin - 6, kMargin);
        painter.rotate(90);
        painter.drawText(QRectF(0, 0, square.height(), kMargin - 8), Qt::AlignLeft | Qt::AlignTop, tr("true →"));
        painter.restore();
        return;
    }
    QFont small = font();
    small.setPointSizeF(std::max(6.0, std::min(9.0, cell / 3.2)));
    painter.setFont(small);
    for (int t = 0; t < n; ++t) {
        const int total = rowTotal(t);
        for (int p = 0; p < n; ++p) {
            const double frac = total ? double(count(t, p)) / total : 0;
            const QRectF r(kMargin + p * cell, kMargin + t * cell, cell, cell);
            painter.fillRect(r, cellColour(t == p, frac));
            painter.setPen(frac > 0.55 ? Qt::white : palette().color(QPalette::Text));
            if (count(t, p) > 0) painter.drawText(r, Qt::AlignCenter, QString::number(count(t, p)));
        }
        painter.setPen(palette().color(QPalette::Text));
        const QString name = t < m_names.size() ? m_names[t] : QString::number(t);
        painter.drawText(QRectF(0, kMargin + t * cell, kMargin - 4, cell), Qt::AlignRight | Qt::AlignVCenter, name);
        painter.save();
        painter.translate(kMargin + t * cell + cell / 2, kMargin - 4);
        painter.rotate(-60);
        painter.drawText(QRectF(0, -cell / 2, kMargin, cell), Qt::AlignLeft | Qt::AlignVCenter, name);
        painter.restore();
    }
}

} // namespace ra::widgets
