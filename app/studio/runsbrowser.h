#pragma once
// The runs browser over the SQLite run store: every run with status, method, key parameters and
// best/last ID and OOD values and the size of its files; filter; select several to overlay their ID curves and diff
// their parameters; a scatter and parallel coordinates of settings against results; tag, note, delete, export
// CSV/JSON; open one in the alpha explorer or resume it. Reads the store on the GUI thread (plain SQLite, no
// libtorch); the worker writes through its own connection (WAL).
#include <QMap>
#include <QWidget>

#include <string>
#include <utility>

class QCheckBox;
class QComboBox;
class QTabWidget;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTableWidget;
class QToolButton;
class QCustomPlot;

namespace ra::widgets {
class CurvePlot;
class ImportanceTable;
class ParallelCoordinatesView;
} // namespace ra::widgets

namespace ra::app {

class RunsBrowser : public QWidget {
    Q_OBJECT
public:
    explicit RunsBrowser(QString databasePath, QWidget* parent = nullptr);
    void refresh();
    QTableWidget* table() const { return m_table; }
    QTableWidget* diffTable() const { return m_diff; }
    // What the settings pane says where it has no table: what to select, or that the selected
    // runs' settings are all the same. Empty while the table shows.
    QString diffHint() const;
    widgets::CurvePlot* overlay() const { return m_overlay; }
    // Scatter: one point per listed run (the filter applies), any numeric parameter or result
    // against a result, one series per method; a hyper-parameter search at a glance. Clicking a
    // point selects its run (Ctrl: adds it).
    widgets::CurvePlot* scatter() const { return m_scatter; }
    QComboBox* scatterX() const { return m_scatterX; }
    QComboBox* scatterY() const { return m_scatterY; }
    // Parallel coordinates: one line per listed run across the chosen settings and results,
    // coloured by the last (or the axis whose name is clicked); by default the settings that
    // differ between the listed runs, then best ID and best OOD average. Clicking a line selects
    // its run, dragging along axes brushes ranges and selects the runs inside all of them (Ctrl:
    // adds them).
    widgets::ParallelCoordinatesView* parallel() const { return m_parallel; }
    // Axes… : every setting and result, checkable; checking or unchecking one fixes the choice.
    QToolButton* parallelAxesButton() const { return m_parallelAxes; }
    QStringList parallelAxes() const; // the axes drawn now
    void setParallelAxes(const QStringList& names);
    // Importance: which settings mattered to a result over the listed runs (the filter applies),
    // most important first (widgets::ImportanceTable).
    widgets::ImportanceTable* importance() const { return m_importance; }
    QComboBox* importanceOf() const { return m_importanceOf; } // the result it is of
    QTabWidget* views() const { return m_views; }              // ID curves | Scatter | Parallel | Importance
    // The plot of the tab in front and a file name for it (File ▸ Export Plot); none for a table.
    std::pair<QCustomPlot*, QString> plotInFront() const;
    QComboBox* overlayX() const { return m_overlayX; } // the ID curves' x axis: step or time
    QLineEdit* filter() const { return m_filter; }
    // Selects the rows of these run ids (tests, and "show the run just trained").
    void selectRuns(const QList<qint64>& ids);
    QList<qint64> selectedRuns() const;
    // The one selected run when it can be explored (finished or interrupted), else 0.
    qint64 selectedExplorableRun() const;
    bool exportSelected(const QString& path, QString* error);
    // Import…: the runs of a JSON export (RunStore::importRuns), listed and selected.
    bool importRuns(const QString& path, QString* error);
    // Deletes the selected runs into the store's trash (deleteRunsToTrash); WITH_FILES: their
    // checkpoints go too. All or nothing when one of them is training. Undo Delete (Ctrl+Z) brings
    // the newest deletion in the trash back — this session's or an earlier one's, the CLI's too —
    // under the runs' own ids (their checkpoints too where they were kept); again, the one before.
    bool deleteSelected(QString* error, bool withFiles = false);
    bool undoDelete(QString* error);
    QPushButton* undoDeleteButton() const { return m_undoDelete; }
    // Trash…: every deletion in the trash (TrashDialog), to restore any one or empty the trash.
    QPushButton* trashButton() const { return m_trash; }
    bool tagSelected(const QString& tag, QString* error);
    // The one selected run's note (empty: none); Note… asks for it.
    bool setNoteOfSelected(const QString& text, QString* error);
    // Explore α (or a double click): a finished or interrupted run; Resume: an interrupted or
    // failed one. Enabled for one selected run of that status.
    QPushButton* exploreButton() const { return m_explore; }
    QPushButton* resumeButton() const { return m_resume; }
    QCheckBox* groupSeeds() const { return m_groupSeeds; }

Q_SIGNALS:
    void exploreRequested(qint64 runId);
    void resumeRequested(qint64 runId);
    void selectionChanged(); // after the buttons follow the new selection

private:
    void updateSelection();
    void drawScatter();
    void drawParallel();
    void drawImportance();
    // The Axes… menu: every setting of the listed runs, then the results, checked as drawn.
    void listParallelAxes();
    QStringList defaultParallelAxes() const;
    // Every setting the runs have (only those with numbers when NUMERIC_ONLY), by name.
    QStringList settingNames(bool numericOnly) const;
    // The scatter's axes: every numeric parameter of the listed runs, then the results.
    void listScatterAxes();
    void applyFilter();

    QString m_databasePath;
    QLineEdit* m_filter;
    QTableWidget* m_table;
    QTableWidget* m_diff;
    QLabel* m_diffHint;         // shown instead of m_diff where it would be empty
    QStackedWidget* m_diffPane; // m_diffHint or m_diff
    widgets::CurvePlot* m_overlay;
    QPushButton* m_explore;
    QPushButton* m_resume;
    QPushButton* m_undoDelete;
    QPushButton* m_trash;
    QCheckBox* m_groupSeeds;
    QTabWidget* m_views;
    widgets::CurvePlot* m_scatter;
    QComboBox* m_scatterX;
    QComboBox* m_scatterY;
    QComboBox* m_overlayX;
    widgets::ParallelCoordinatesView* m_parallel;
    QToolButton* m_parallelAxes;
    QStringList m_parallelChoice; // the user's axes; empty: the defaults
    widgets::ImportanceTable* m_importance;
    QComboBox* m_importanceOf;
    // Each run's method and numbers by name: its numeric parameters, and its results (percent);
    // TEXTS: every parameter and result as text (the parallel coordinates' axes, numbers or not).
    struct RunNumbers {
        QString method;
        QMap<QString, double> values;
        QMap<QString, QString> texts;
    };
    QMap<qint64, RunNumbers> m_numbers;
    struct ScatterPoint {
        double x = 0, y = 0;
        qint64 run = 0;
    };
    QVector<ScatterPoint> m_scatterPoints; // as drawn, for a click to find its run
    QStringList m_resultNames;             // the results' names, in the order the boxes list them
};

} // namespace ra::app
