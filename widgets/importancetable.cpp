#include "importancetable.h"

#include "colours.h"

#include <QHeaderView>
#include <QPainter>
#include <QStyledItemDelegate>

#include <cmath>
#include <limits>

namespace ra::widgets {
namespace {

enum Column { Setting, Importance, Correlation, ColumnCount };
constexpr int kValueRole = Qt::UserRole;

// A cell's value as a bar behind its text: from the left for a share in [0, 1], from the middle
// for a correlation in [-1, 1].
class BarDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        const QVariant value = index.data(kValueRole);
        if (value.isValid() && std::isfinite(value.toDouble())) {
            const double v = value.toDouble();
            const QRect r = option.rect.adjusted(2, 3, -2, -3);
            QRectF bar;
            QColor colour;
            if (index.column() == Importance) {
                bar = QRectF(r.left(), r.top(), r.width() * v, r.height());
                colour = seriesColour(0);
            } else {
                const double middle = r.left() + r.width() / 2.0, length = r.width() / 2.0 * std::abs(v);
                bar = QRectF(v >= 0 ? middle : middle - length, r.top(), length, r.height());
                colour = v >= 0 ? seriesColour(2) : seriesColour(3); // green where it rises, red where it falls
                painter->save();
                painter->setPen(option.palette.color(QPalette::Mid));
                painter->drawLine(QPointF(middle, r.top()), QPointF(middle, r.bottom()));
                painter->restore();
            }
            colour.setAlpha(150);
            painter->fillRect(bar, colour);
        }
        QStyledItemDelegate::paint(painter, option, index);
    }
};

} // namespace

ImportanceTable::ImportanceTable(QWidget* parent) : QTableWidget(0, ColumnCount, parent)
{
    setHorizontalHeaderLabels({tr("Setting"), tr("Importance"), tr("Correlation")});
    horizontalHeaderItem(Importance)
        ->setToolTip(tr("The share of the result's variance that the setting's values explain (omega squared: "
                        "corrected for the number of groups, so chance differences between few runs score near 0)"));
    horizontalHeaderItem(Correlation)
        ->setToolTip(tr("Spearman's rank correlation of the setting with the result: to the right, the result "
                        "rises with the setting; to the left, it falls"));
    setItemDelegate(new BarDelegate(this));
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionMode(QAbstractItemView::NoSelection);
    verticalHeader()->setVisible(false);
    horizontalHeader()->setSectionResizeMode(Setting, QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(Importance, QHeaderView::Stretch);
    horizontalHeader()->setSectionResizeMode(Correlation, QHeaderView::Stretch);
}

void ImportanceTable::setImportance(const std::vector<SettingImportance>& rows, int runs)
{
    setRowCount(0);
    horizontalHeaderItem(Setting)->setText(runs == 1 ? tr("Setting (1 run)") : tr("Setting (%1 runs)").arg(runs));
    for (const SettingImportance& s : rows) {
        const int row = rowCount();
        insertRow(row);
        auto* name = new QTableWidgetItem(QString::fromStdString(s.setting));
        name->setToolTip(tr("%1 groups of runs compared").arg(s.groups));
        setItem(row, Setting, name);
        auto* importance = new QTableWidgetItem(QStringLiteral("%1 %").arg(100 * s.importance, 0, 'f', 0));
        importance->setData(kValueRole, s.importance);
        setItem(row, Importance, importance);
        auto* correlation = new QTableWidgetItem(s.correlation ? QString::number(*s.correlation, 'f', 2) : tr("—"));
        correlation->setTextAlignment(Qt::AlignCenter);
        if (s.correlation) correlation->setData(kValueRole, *s.correlation);
        setItem(row, Correlation, correlation);
    }
}

QString ImportanceTable::settingAt(int row) const { return item(row, Setting)->text(); }

double ImportanceTable::importanceAt(int row) const { return item(row, Importance)->data(kValueRole).toDouble(); }

double ImportanceTable::correlationAt(int row) const
{
    const QVariant v = item(row, Correlation)->data(kValueRole);
    return v.isValid() ? v.toDouble() : std::numeric_limits<double>::quiet_NaN();
}

} // namespace ra::widgets
