#include "modelsummarywidget.h"

#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>

namespace ra::widgets {

namespace {
const QStringList kRows = {"Model",      "Layout",    "Architecture", "Image tower",
                           "Text tower", "Embedding", "Activation",   "Parameters"};
}

ModelSummaryWidget::ModelSummaryWidget(QWidget* parent) : QWidget(parent), m_form(new QFormLayout(this))
{
    for (const QString& row : kRows) {
        auto* label = new QLabel(QStringLiteral("—"), this);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        // Explicit line breaks instead of word wrap: wrapped labels in a form inside a dock get
        // clipped when the dock is short (Qt's height-for-width does not reach the dock).
        label->setWordWrap(row == QLatin1String("Model") || row == QLatin1String("Layout"));
        m_form->addRow(row + QLatin1Char(':'), label);
        m_values.insert(row, label);
    }
}

void ModelSummaryWidget::setModel(const QString& source, const QString& layout, const ClipConfig& c)
{
    // Thin-space thousands groups (8 348 929): readable in every locale, unambiguous in none.
    auto count = [](qint64 n) {
        QString digits = QString::number(n);
        for (int i = digits.size() - 3; i > 0; i -= 3) digits.insert(i, QChar(0x2009));
        return digits;
    };
    // The file name fits the panel; the full path is one hover away.
    m_values["Model"]->setText(QFileInfo(source).fileName().isEmpty() ? source : QFileInfo(source).fileName());
    m_values["Model"]->setToolTip(source);
    m_values["Layout"]->setText(layout);
    m_values["Architecture"]->setText(QString::fromStdString(c.architectureName()));
    auto several = [](qint64 n, const char* one, const char* many) { // "1 head", "2 heads"
        return QString::number(n) + QLatin1Char(' ') + QLatin1String(n == 1 ? one : many);
    };
    m_values["Image tower"]->setText(
        QStringLiteral("%1 px, patch %2\nwidth %3, %4, %5")
            .arg(c.imageResolution)
            .arg(c.patchSize)
            .arg(c.visionWidth)
            .arg(several(c.visionLayers, "layer", "layers"), several(c.visionHeads, "head", "heads")));
    m_values["Text tower"]->setText(
        QStringLiteral("context %1\nwidth %2, %3, %4")
            .arg(c.contextLength)
            .arg(c.textWidth)
            .arg(several(c.textLayers, "layer", "layers"), several(c.textHeads, "head", "heads")));
    m_values["Embedding"]->setText(QString::number(c.embedDim));
    m_values["Activation"]->setText(c.activation == Activation::QuickGelu ? QStringLiteral("QuickGELU")
                                                                          : QStringLiteral("GELU"));
    // Millions on two short lines (the panel is narrow); the exact counts in the tooltip.
    auto millions = [](qint64 n) { return QString::number(double(n) / 1e6, 'f', 2) + QStringLiteral(" M"); };
    m_values["Parameters"]->setText(
        QStringLiteral("%1\nimage %2, text %3")
            .arg(millions(c.parameterCount()), millions(c.visionParameterCount()), millions(c.textParameterCount())));
    m_values["Parameters"]->setToolTip(
        QStringLiteral("%1 parameters: image tower %2, text tower %3")
            .arg(count(c.parameterCount()), count(c.visionParameterCount()), count(c.textParameterCount())));
    // The form inside a dock does not grow rows for multi-line labels by itself: pin each row to
    // its text's height so no line is clipped.
    for (QLabel* label : m_values)
        if (!label->wordWrap()) label->setMinimumHeight(label->sizeHint().height());
}

void ModelSummaryWidget::clear()
{
    for (QLabel* label : m_values) label->setText(QStringLiteral("—"));
}

QString ModelSummaryWidget::valueText(const QString& row) const
{
    return m_values.contains(row) ? m_values[row]->text() : QString();
}

} // namespace ra::widgets
