#pragma once
// The runs browser's Trash…: every deletion in the run store's trash (store/runtrash.h), newest
// first — when, which runs, how big — to restore any one of them, or to empty the trash for good.
#include <QDialog>
#include <QList>

class QListWidget;
class QPushButton;

namespace ra::app {

class TrashDialog : public QDialog {
    Q_OBJECT
public:
    explicit TrashDialog(QString databasePath, QWidget* parent = nullptr);
    QListWidget* list() const { return m_list; }
    // Restores the deletion in ROW (0: the newest) and lists the trash again.
    bool restore(int row, QString* error);
    // Removes every deletion for good and lists the trash again.
    bool emptyTrash(QString* error);
    QList<qint64> restoredRuns() const { return m_restored; } // every run this dialog brought back
    void reload();

private:
    QString m_databasePath;
    QListWidget* m_list;
    QPushButton* m_restore;
    QPushButton* m_empty;
    QList<qint64> m_restored;
};

} // namespace ra::app
