#include "studio/aboutdialog.h"

#include "platform/systeminfo.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QVBoxLayout>

#include <algorithm>

namespace ra::app {

AboutDialog::AboutDialog(QWidget* parent)
    : QDialog(parent), m_report(new QPlainTextEdit), m_copy(new QPushButton(tr("Copy Report")))
{
    setWindowTitle(tr("About R-Adapter Studio"));
    auto* text = new QLabel(
        tr("<h3>R-Adapter Studio %1</h3>"
           "<p>Robust fine-tuning of CLIP zero-shot models with R-Adapter (Kim, Jeong, Kim, Kwak, ECCV 2024).</p>"
           "<p>Built on Qt (LGPLv3), libtorch (BSD-3-Clause), OpenCV (Apache-2.0), QCustomPlot (GPLv3), "
           "SQLite (public domain) and ICU (Unicode licence). Because QCustomPlot is GPLv3, "
           "R-Adapter Studio as distributed is GPLv3. CLIP's BPE vocabulary is © 2021 OpenAI, MIT licence.</p>"
           "<p><b>This machine</b>: %2</p>")
            .arg(QStringLiteral(RA_VERSION), QString::fromStdString(systemSummaryLine()).toHtmlEscaped()));
    text->setWordWrap(true);
    text->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_report->setReadOnly(true);
    m_report->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_report->setPlainText(QString::fromStdString(systemInfoJson(1)));
    m_report->setToolTip(tr("What `radapter info --system` prints on this machine"));
    m_copy->setToolTip(tr("Copy the report to the clipboard, for a bug report"));
    connect(m_copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_report->toPlainText()); });
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(m_copy, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(m_report, 1);
    layout->addWidget(buttons);
    // Wide enough for the report's lines, and never taller than the screen it opens on.
    const QRect screen = (parent ? parent->screen() : QApplication::primaryScreen())->availableGeometry();
    resize(std::min(760, screen.width() - 40), std::min(620, screen.height() - 80));
}

} // namespace ra::app
