#include "modelsummarywidget.h"

#include <QFormLayout>
#include <QLabel>
#include <QLocale>

namespace ra::widgets {

namespace {
const QStringList kRows = {"Model", "Layout", "Architecture", "Image tower", "Text tower", "Embedding",
                           "Activation", "Parameters"};
}

ModelSummaryWidget::ModelSummaryWidget(QWidget* parent) : QWidget(parent), m_form(new QFormLayout(this))
{
    for (const QString& row : kRows) {
        auto* label = new QLabel(QStringLiteral("—"), this);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        label->setWordWrap(true);
        m_form->addRow(row + QLatin1Char(':'), label);
        m_values.insert(row, label);
    }
}

void ModelSummaryWidget::setModel(const QString& source, const QString& layout, const ClipConfig& c)
{
    const QLocale locale = QLocale::c();
    auto count = [&](qint64 n) { return locale.toString(n).replace(QLatin1Char(','), QChar(0x2009)); };
    m_values["Model"]->setText(source);
    m_values["Layout"]->setText(layout);
    m_values["Architecture"]->setText(QString::fromStdString(c.architectureName()));
    m_values["Image tower"]->setText(QStringLiteral("%1 px, patch %2, width %3, %4 layers, %5 heads")
                                         .arg(c.imageResolution).arg(c.patchSize).arg(c.visionWidth)
                                         .arg(c.visionLayers).arg(c.visionHeads));
    m_values["Text tower"]->setText(QStringLiteral("context %1, width %2, %3 layers, %4 heads")
                                        .arg(c.contextLength).arg(c.textWidth).arg(c.textLayers).arg(c.textHeads));
    m_values["Embedding"]->setText(QString::number(c.embedDim));
    m_values["Activation"]->setText(c.activation == Activation::QuickGelu ? QStringLiteral("QuickGELU") : QStringLiteral("GELU"));
    m_values["Parameters"]->setText(QStringLiteral("%1 (image %2, text %3)")
                                        .arg(count(c.parameterCount()), count(c.visionParameterCount()),
                                             count(c.textParameterCount())));
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
