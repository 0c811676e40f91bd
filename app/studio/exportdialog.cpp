#include "studio/exportdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QFileInfo>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>

namespace ra::app {

ExportDialog::ExportDialog(double alpha, QWidget* parent)
    : QDialog(parent), m_alpha(new QDoubleSpinBox), m_kind(new QComboBox), m_path(new QLineEdit)
{
    setWindowTitle(tr("Export model"));
    m_alpha->setRange(0, 1.5);
    m_alpha->setSingleStep(0.05);
    m_alpha->setValue(alpha);
    m_alpha->setToolTip(tr("The adapters are folded into the weights at this alpha: W = W0 (I + alpha s F)."));
    m_kind->addItem(tr("Merged model, OpenAI layout (.safetensors)"), QStringLiteral("openai"));
    m_kind->addItem(tr("Merged model, Hugging Face folder"), QStringLiteral("hf"));
    m_kind->addItem(tr("Adapters only (.safetensors)"), QStringLiteral("adapters"));
    auto* browse = new QPushButton(tr("Browse…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString p = m_kind->currentData().toString() == QLatin1String("hf")
            ? QFileDialog::getExistingDirectory(this, tr("Export to folder"))
            : QFileDialog::getSaveFileName(this, tr("Export to file"), QStringLiteral("model.safetensors"),
                                           tr("safetensors (*.safetensors)"));
        if (!p.isEmpty()) {
            m_path->setText(p);
            m_confirmed = m_kind->currentData().toString() == QLatin1String("hf") ? QString()
                                                                                  : p; // the save dialog asked
        }
    });
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    auto* form = new QFormLayout(this);
    form->addRow(tr("What"), m_kind);
    form->addRow(tr("Alpha"), m_alpha);
    form->addRow(tr("Destination"), pathRow);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &ExportDialog::acceptIfConfirmed);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

void ExportDialog::acceptIfConfirmed()
{
    const QString p = m_path->text();
    if (p.isEmpty()) return;
    const QFileInfo info(p);
    const bool folder = m_kind->currentData().toString() == QLatin1String("hf");
    const bool replaces = folder ? QFileInfo::exists(p + QStringLiteral("/model.safetensors")) ||
            QFileInfo::exists(p + QStringLiteral("/config.json"))
                                 : info.exists();
    if (replaces && p != m_confirmed &&
        QMessageBox::question(this, tr("Replace?"), tr("%1 already exists. Replace it?").arg(p)) != QMessageBox::Yes)
        return;
    accept();
}

double ExportDialog::alpha() const { return m_alpha->value(); }
QString ExportDialog::layout() const
{
    return adaptersOnly() ? QStringLiteral("openai") : m_kind->currentData().toString();
}
QString ExportDialog::path() const { return m_path->text(); }
bool ExportDialog::adaptersOnly() const { return m_kind->currentData().toString() == QLatin1String("adapters"); }

} // namespace ra::app
