#include "studio/trashdialog.h"

#include "store/runstore.h"
#include "store/runtrash.h"
#include "util/error.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace ra::app {

TrashDialog::TrashDialog(QString databasePath, QWidget* parent)
    : QDialog(parent), m_databasePath(std::move(databasePath)), m_list(new QListWidget(this)),
      m_restore(new QPushButton(tr("Restore"), this)), m_empty(new QPushButton(tr("Empty Trash…"), this))
{
    setWindowTitle(tr("Trash"));
    auto* intro = new QLabel(
        tr("Deleted runs, newest deletion first. Restore brings a deletion's runs back with "
           "every record, and their checkpoints where they were deleted with them. Emptying the trash gives "
           "the disk space back."),
        this);
    intro->setWordWrap(true);
    m_restore->setToolTip(tr("Bring the selected deletion's runs back"));
    m_empty->setToolTip(tr("Remove every deletion from the trash for good"));
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) { m_restore->setEnabled(row >= 0); });
    connect(m_restore, &QPushButton::clicked, this, [this] {
        QString error;
        if (!restore(m_list->currentRow(), &error)) QMessageBox::warning(this, tr("Restore"), error);
    });
    connect(m_empty, &QPushButton::clicked, this, [this] {
        if (QMessageBox::question(this, tr("Empty Trash"),
                                  tr("Remove every deleted run from the trash for good? They cannot be restored "
                                     "afterwards.")) != QMessageBox::Yes)
            return;
        QString error;
        if (!emptyTrash(&error)) QMessageBox::warning(this, tr("Empty Trash"), error);
    });
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_restore);
    buttons->addWidget(m_empty);
    buttons->addStretch(1);
    buttons->addWidget(close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_list, 1);
    layout->addLayout(buttons);
    resize(640, 360);
    reload();
}

void TrashDialog::reload()
{
    m_list->clear();
    try {
        const RunStore store(m_databasePath.toStdString(), RunStore::Access::ReadOnly);
        for (const TrashedDeletion& d : trashedDeletions(store)) {
            QStringList runs;
            for (const auto& r : d.runs)
                runs << tr("run %1 (%2%3)")
                            .arg(r.id)
                            .arg(QString::fromStdString(r.method),
                                 r.name.empty() ? QString() : QStringLiteral(", ") + QString::fromStdString(r.name));
            const QString size = d.bytes < 1000000 ? tr("%1 kB").arg(double(d.bytes) / 1e3, 0, 'f', 1)
                                                   : tr("%1 MB").arg(double(d.bytes) / 1e6, 0, 'f', 1);
            auto* item = new QListWidgetItem(
                tr("%1 · %2 · %3%4")
                    .arg(QString::fromStdString(d.deletedAt).replace('T', ' ').remove('Z'),
                         runs.isEmpty() ? tr("unreadable") : runs.join(QStringLiteral(", ")), size,
                         d.filesFolder.empty() ? QString() : tr(" with checkpoints")));
            item->setToolTip(QString::fromStdString(d.path));
            m_list->addItem(item);
        }
    } catch (const std::exception&) {} // no store yet: an empty trash
    m_list->setCurrentRow(m_list->count() > 0 ? 0 : -1);
    m_restore->setEnabled(m_list->currentRow() >= 0);
    m_empty->setEnabled(m_list->count() > 0);
}

bool TrashDialog::restore(int row, QString* error)
{
    bool restored = false;
    try {
        RunStore store(m_databasePath.toStdString());
        // Only the files up to ROW are read.
        const std::vector<TrashedDeletion> deletions = row < 0 ? std::vector<TrashedDeletion>{}
                                                               : trashedDeletions(store, size_t(row) + 1);
        if (row < 0 || row >= int(deletions.size())) throw Error(trashFolder(store) + ": no such deletion.");
        for (int64_t id : restoreDeletion(store, deletions[size_t(row)])) m_restored << id;
        restored = true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(ra::userMessage(e));
    }
    reload();
    return restored;
}

bool TrashDialog::emptyTrash(QString* error)
{
    bool emptied = false;
    try {
        ra::emptyTrash(RunStore(m_databasePath.toStdString()));
        emptied = true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(ra::userMessage(e));
    }
    reload();
    return emptied;
}

} // namespace ra::app
