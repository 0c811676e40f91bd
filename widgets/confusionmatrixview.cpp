#include "confusionmatrixview.h"

#include <QPainter>

namespace ra::widgets {

ConfusionMatrixView::ConfusionMatrixView(QWidget* parent) : QWidget(parent) { setMinimumSize(240, 240); }

void ConfusionMatrixView::setMatrix(const QStringList& classNames, const std::vector<std::vector<int>>& counts)
{
    m_names = classNames;
    m_counts = counts;
    update();
}

int ConfusionMatrixView::count(int t, int p) const
{
    if (t < 0 || p < 0 || size_t(t) >= m_counts.size() || size_t(p) >= m_counts[size_t(t)].size()) return 0;
    return m_counts[size_t(t)][size_t(p)];
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
    const int margin = 48;
    const double cell = std::min(width() - margin - 8, height() - margin - 8) / double(n);
    QFont small = font();
    small.setPointSizeF(std::max(6.0, std::min(9.0, cell / 3.2)));
    painter.setFont(small);
    for (int t = 0; t < n; ++t) {
        int rowTotal = 0;
        for (int c : m_counts[size_t(t)]) rowTotal += c;
        for (int p = 0; p < n; ++p) {
            const double frac = rowTotal ? double(count(t, p)) / rowTotal : 0;
            const QRectF r(margin + p * cell, margin + t * cell, cell, cell);
            const QColor colour = t == p ? QColor::fromRgbF(0.12, 0.47, 0.71, 0.15 + 0.85 * frac)
                                         : QColor::fromRgbF(0.84, 0.15, 0.16, 0.05 + 0.95 * frac);
            painter.fillRect(r, colour);
            painter.setPen(frac > 0.55 ? Qt::white : palette().color(QPalette::Text));
            if (count(t, p) > 0) painter.drawText(r, Qt::AlignCenter, QString::number(count(t, p)));
        }
        painter.setPen(palette().color(QPalette::Text));
        const QString name = t < m_names.size() ? m_names[t] : QString::number(t);
        painter.drawText(QRectF(0, margin + t * cell, margin - 4, cell), Qt::AlignRight | Qt::AlignVCenter, name);
        painter.save();
        painter.translate(margin + t * cell + cell / 2, margin - 4);
        painter.rotate(-60);
        painter.drawText(QRectF(0, -cell / 2, margin, cell), Qt::AlignLeft | Qt::AlignVCenter, name);
        painter.restore();
    }
}

} // namespace ra::widgets
