#pragma once
// The runs browser over the SQLite run store: every run with status, method, key parameters and
// best/last ID and OOD values and the size of its files; filter; select several to overlay their ID curves and diff
// their parameters; tag, delete, export CSV/JSON; open one in the alpha explorer or resume it. Reads the store on the
// GUI thread (plain SQLite, no libtorch); the worker writes through its own connection (WAL).
#include <QWidget>

class QCheckBox;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace ra::widgets {
class CurvePlot;
}

namespace ra::app {

class RunsBrowser : public QWidget {
    Q_OBJECT
public:
    explicit RunsBrowser(QString databasePath, QWidget* parent = nullptr);
    void refresh();
    QTableWidget* table() const { return m_table; }
    QTableWidget* diffTable() const { return m_diff; }
    widgets::CurvePlot* overlay() const { return m_overlay; }
    QLineEdit* filter() const { return m_filter; }
    // Selects the rows of these run ids (tests, and "show the run just trained").
    void selectRuns(const QList<qint64>& ids);
    QList<qint64> selectedRuns() const;
    bool exportSelected(const QString& path, QString* error);
    // WITH_FILES: the runs' checkpoints go too (RunStore::deleteRun).
    bool deleteSelected(QString* error, bool withFiles = false);
    bool tagSelected(const QString& tag, QString* error);
    // Explore α (or a double click): a finished or interrupted run; Resume: an interrupted or
    // failed one. Enabled for one selected run of that status.
    QPushButton* exploreButton() const { return m_explore; }
    QPushButton* resumeButton() const { return m_resume; }
    QCheckBox* groupSeeds() const { return m_groupSeeds; }

Q_SIGNALS:
    void exploreRequested(qint64 runId);
    void resumeRequested(qint64 runId);

private:
    void updateSelection();
    void applyFilter();

    QString m_databasePath;
    QLineEdit* m_filter;
    QTableWidget* m_table;
    QTableWidget* m_diff;
    widgets::CurvePlot* m_overlay;
    QPushButton* m_explore;
    QPushButton* m_resume;
    QCheckBox* m_groupSeeds;
};

} // namespace ra::app
