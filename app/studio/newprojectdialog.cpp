#include "studio/newprojectdialog.h"

#include "project/project.h"
#include "util/error.h"
#include "warninglabel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cstdio>

namespace ra::app {

NewProjectDialog::NewProjectDialog(const QString& model, QWidget* parent)
    : QDialog(parent), m_name(new QLineEdit), m_task(new QComboBox), m_templates(new QComboBox), m_file(new QLineEdit),
      m_ood(new QTableWidget(0, 2)), m_error(new widgets::WarningLabel), m_form(new QFormLayout)
{
    setWindowTitle(tr("New Project"));
    m_name->setObjectName(QStringLiteral("name"));
    m_name->setPlaceholderText(tr("e.g. Flowers under lighting shift"));
    m_task->setObjectName(QStringLiteral("task"));
    m_task->addItems({QStringLiteral("classification"), QStringLiteral("retrieval")});
    m_task->setToolTip(tr("Classification: image folders (one sub-folder per class) or path,label CSV files.\n"
                          "Retrieval: COCO caption JSON or path,caption CSV files."));
    m_templates->setObjectName(QStringLiteral("templates"));
    m_templates->addItems({QStringLiteral("openai"), QStringLiteral("short")});
    m_templates->setToolTip(tr(
        "Prompt templates for the zero-shot head: OpenAI's 80 ImageNet templates, or a short set for small domains."));
    m_form->addRow(tr("Name:"), m_name);
    m_form->addRow(tr("Task:"), m_task);
    m_model = pathRow(QStringLiteral("model"), tr("CLIP checkpoint:"), false,
                      tr("CLIP checkpoints (*.pt *.safetensors);;All files (*)"));
    m_model->setText(model);
    m_train = pathRow(QStringLiteral("train"), tr("ID train:"), true, QString());
    m_val = pathRow(QStringLiteral("val"), tr("ID validation (optional):"), true, QString());
    m_test = pathRow(QStringLiteral("test"), tr("ID test (optional):"), true, QString());
    m_form->addRow(tr("Templates:"), m_templates);

    m_ood->setObjectName(QStringLiteral("ood"));
    m_ood->setHorizontalHeaderLabels({tr("OOD set"), tr("Path")});
    m_ood->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_ood->verticalHeader()->hide();
    m_ood->setMinimumHeight(110);
    auto* add = new QPushButton(tr("Add OOD Set…"));
    auto* remove = new QPushButton(tr("Remove"));
    connect(add, &QPushButton::clicked, this, [this] {
        const QString path = browse(m_task->currentIndex() == 0, QString());
        if (!path.isEmpty()) addOodSet(QFileInfo(path).completeBaseName(), path);
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_ood->currentRow() >= 0) m_ood->removeRow(m_ood->currentRow());
    });
    auto* oodButtons = new QHBoxLayout;
    oodButtons->addWidget(add);
    oodButtons->addWidget(remove);
    oodButtons->addStretch();

    auto* fileRow = new QHBoxLayout;
    m_file->setObjectName(QStringLiteral("file"));
    m_file->setPlaceholderText(tr("where the project file is saved (.json)"));
    auto* saveAs = new QPushButton(tr("Browse…"));
    connect(saveAs, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save project as"), m_file->text(),
                                                          tr("R-Adapter projects (*.json)"));
        if (!path.isEmpty())
            m_file->setText(path.endsWith(QLatin1String(".json")) ? path : path + QStringLiteral(".json"));
    });
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(saveAs);

    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true);
    m_error->hide();

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Create"));
    connect(buttons, &QDialogButtonBox::accepted, this, &NewProjectDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addWidget(new QLabel(
        tr("<b>Out-of-distribution sets</b> — each a named shift of the ID data, evaluated but never trained on")));
    layout->addWidget(m_ood, 1);
    layout->addLayout(oodButtons);
    layout->addWidget(new QLabel(tr("<b>Project file</b>")));
    layout->addLayout(fileRow);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(640, 520);
}

QLineEdit* NewProjectDialog::pathRow(const QString& objectName, const QString& label, bool directory,
                                     const QString& filter)
{
    auto* edit = new QLineEdit;
    edit->setObjectName(objectName);
    auto* button = new QPushButton(tr("Browse…"));
    connect(button, &QPushButton::clicked, this, [this, edit, directory, filter] {
        // Classification data are folders; retrieval data are caption files.
        const bool folder = directory && m_task->currentIndex() == 0;
        const QString path = browse(folder, filter);
        if (!path.isEmpty()) edit->setText(path);
    });
    auto* row = new QHBoxLayout;
    row->addWidget(edit, 1);
    row->addWidget(button);
    m_form->addRow(label, row);
    return edit;
}

QString NewProjectDialog::browse(bool directory, const QString& filter)
{
    if (directory) return QFileDialog::getExistingDirectory(this, tr("Choose a dataset folder"));
    return QFileDialog::getOpenFileName(this, tr("Choose a file"), QString(),
                                        filter.isEmpty() ? tr("Datasets (*.csv *.json);;All files (*)") : filter);
}

void NewProjectDialog::addOodSet(const QString& name, const QString& path)
{
    const int row = m_ood->rowCount();
    m_ood->insertRow(row);
    m_ood->setItem(row, 0, new QTableWidgetItem(name));
    m_ood->setItem(row, 1, new QTableWidgetItem(path));
}

bool NewProjectDialog::writeProject()
{
    auto fail = [this](const QString& message) {
        m_error->setText(message);
        m_error->show();
        return false;
    };
    const QString file = m_file->text().trimmed();
    if (m_name->text().trimmed().isEmpty()) return fail(tr("Give the project a name."));
    if (file.isEmpty()) return fail(tr("Choose where to save the project file."));
    if (m_train->text().trimmed().isEmpty()) return fail(tr("Choose the ID training data."));
    Project p;
    p.name = m_name->text().trimmed().toStdString();
    p.task = m_task->currentText().toStdString();
    p.model = m_model->text().trimmed().toStdString();
    p.train = m_train->text().trimmed().toStdString();
    p.val = m_val->text().trimmed().toStdString();
    p.test = m_test->text().trimmed().toStdString();
    p.templatesSpec = m_templates->currentText().toStdString();
    for (int r = 0; r < m_ood->rowCount(); ++r) {
        const QString name = m_ood->item(r, 0) ? m_ood->item(r, 0)->text().trimmed() : QString();
        const QString path = m_ood->item(r, 1) ? m_ood->item(r, 1)->text().trimmed() : QString();
        if (name.isEmpty() || path.isEmpty()) return fail(tr("OOD row %1 needs a name and a path.").arg(r + 1));
        for (const auto& [existing, unused] : p.ood)
            if (existing == name.toStdString()) return fail(tr("Two OOD sets are called '%1'.").arg(name));
        p.ood.emplace_back(name.toStdString(), path.toStdString());
    }
    // Write next to the target (relative paths come out the same), load it back to check every
    // path and setting, and only then move it into place: a bad project never replaces a file.
    const QString absolute = QFileInfo(file).absoluteFilePath();
    if (!QDir().mkpath(QFileInfo(absolute).absolutePath()))
        return fail(tr("%1: cannot create the folder.").arg(absolute));
    const QString check = absolute + QStringLiteral(".check");
    try {
        Project::checkSaveTarget(absolute.toStdString());
        p.save(check.toStdString());
        Project::load(check.toStdString());
    } catch (const std::exception& e) {
        QFile::remove(check);
        return fail(QString::fromStdString(ra::userMessage(e)).replace(check, absolute));
    }
    if (std::rename(check.toLocal8Bit().constData(), absolute.toLocal8Bit().constData()) != 0) { // atomic replace
        QFile::remove(check);
        return fail(tr("%1: cannot write the project file.").arg(absolute));
    }
    m_written = absolute;
    return true;
}

void NewProjectDialog::accept()
{
    if (writeProject()) QDialog::accept();
}

} // namespace ra::app
