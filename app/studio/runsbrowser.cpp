#include "studio/runsbrowser.h"

#include "curveplot.h"
#include "importancetable.h"
#include "parallelcoordinatesview.h"
#include "placeholderlabel.h"
#include "qcustomplotinclude.h"
#include "io/atomicfile.h"
#include "io/outputtarget.h"
#include "store/runstore.h"
#include "store/runsummary.h"
#include "store/runtrash.h"
#include "studio/trashdialog.h"
#include "util/meanstd.h"
#include "util/error.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QItemSelection>
#include <QSet>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>
#include <set>

namespace ra::app {
namespace {

enum Column {
    Id,
    Method,
    Status,
    Tags,
    Note,
    Created,
    Alpha,
    LastId,
    BestId,
    LastOod,
    BestOod,
    Steps,
    LearningRate,
    Files,
    ColumnCount
};

class NumberItem : public QTableWidgetItem {
public:
    NumberItem(double value, const QString& text) : QTableWidgetItem(text) { setData(Qt::UserRole, value); }
    bool operator<(const QTableWidgetItem& other) const override
    {
        return data(Qt::UserRole).toDouble() < other.data(Qt::UserRole).toDouble();
    }
};

// A categorical setting with more values than this is not an axis by default (it would be a
// list of names, not a pattern).
constexpr int kMostDefaultCategories = 12;

// PLOT under a row of its axis controls, each after its label ("x", "y").
QWidget* plotPage(QWidget* plot, const QList<QPair<QString, QWidget*>>& axes)
{
    auto* page = new QWidget;
    auto* row = new QHBoxLayout;
    for (const auto& [label, control] : axes) {
        if (!label.isEmpty()) row->addWidget(new QLabel(label));
        row->addWidget(control);
    }
    row->addStretch(1);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(plot, 1);
    return page;
}

QString megabytes(double bytes) { return QStringLiteral("%1 MB").arg(bytes / 1e6, 0, 'f', 1); }

} // namespace

RunsBrowser::RunsBrowser(QString databasePath, QWidget* parent)
    : QWidget(parent), m_databasePath(std::move(databasePath)), m_filter(new QLineEdit),
      m_table(new QTableWidget(0, ColumnCount)), m_diff(new QTableWidget(0, 0)),
      m_overlay(new widgets::CurvePlot(tr("step"), tr("ID accuracy"))), m_explore(new QPushButton(tr("Explore α"))),
      m_resume(new QPushButton(tr("Resume"))), m_groupSeeds(new QCheckBox(tr("Group seeds"))), m_views(new QTabWidget),
      m_scatter(new widgets::CurvePlot(QString(), QString())), m_scatterX(new QComboBox), m_scatterY(new QComboBox),
      m_overlayX(new QComboBox), m_parallel(new widgets::ParallelCoordinatesView), m_parallelAxes(new QToolButton),
      m_importance(new widgets::ImportanceTable), m_importanceOf(new QComboBox)
{
    m_resultNames = {tr("best ID"), tr("last ID"), tr("best OOD avg"), tr("last OOD avg")};
    m_groupSeeds->setToolTip(tr("Overlay runs that differ only in their seed as one curve: the mean, over a band of "
                                "one standard deviation"));
    connect(m_groupSeeds, &QCheckBox::toggled, this, &RunsBrowser::updateSelection);
    m_filter->setMinimumWidth(220); // its hint stays readable however narrow the window
    m_filter->setPlaceholderText(tr("Filter by method, status, tag, note or id…"));
    m_overlay->setPlaceholderText(tr("Select one or more runs to overlay their ID accuracy curves"));
    m_overlay->setEmptyRange(0, 100, 0, 100);
    m_filter->setClearButtonEnabled(true);
    m_table->setHorizontalHeaderLabels({tr("Run"), tr("Method"), tr("Status"), tr("Tags"), tr("Note"), tr("Created"),
                                        tr("α"), tr("Last ID"), tr("Best ID"), tr("Last OOD avg"), tr("Best OOD avg"),
                                        tr("Steps"), tr("lr"), tr("Files")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSortingEnabled(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents); // every column readable
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_diff->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto* refreshButton = new QPushButton(tr("Refresh"));
    auto* tag = new QPushButton(tr("Tag…"));
    auto* note = new QPushButton(tr("Note…"));
    note->setToolTip(tr("Your words about the selected run: what you tried, what you saw"));
    auto* remove = new QPushButton(tr("Delete"));
    auto* exportButton = new QPushButton(tr("Export…"));
    auto* importButton = new QPushButton(tr("Import…"));
    m_undoDelete = new QPushButton(tr("Undo Delete"));
    m_undoDelete->setToolTip(tr("Bring back the last deleted runs from the trash (Ctrl+Z; again for the deletion "
                                "before)"));
    m_undoDelete->setEnabled(false);
    m_undoDelete->setShortcut(QKeySequence::Undo);
    m_trash = new QPushButton(tr("Trash…"));
    m_trash->setToolTip(tr("Every deletion in the trash: restore any one, or empty the trash for good"));
    m_trash->setEnabled(false);
    connect(m_trash, &QPushButton::clicked, this, [this] {
        TrashDialog dialog(m_databasePath, this);
        dialog.exec();
        refresh();
        if (!dialog.restoredRuns().isEmpty()) selectRuns(dialog.restoredRuns());
    });
    connect(m_undoDelete, &QPushButton::clicked, this, [this] {
        QString error;
        if (!undoDelete(&error)) QMessageBox::warning(this, tr("Undo Delete"), error);
    });
    importButton->setToolTip(tr("Add the runs of a JSON export (from another machine's store, say) as new runs"));
    m_explore->setToolTip(tr("Open the run in the alpha explorer: its α curve, flips and confusion matrix, and "
                             "export at any α (or double-click the run)"));
    m_resume->setToolTip(tr("Train an interrupted run on from its last checkpoint"));
    connect(refreshButton, &QPushButton::clicked, this, &RunsBrowser::refresh);
    connect(m_explore, &QPushButton::clicked, this, [this] {
        if (selectedRuns().size() == 1) Q_EMIT exploreRequested(selectedRuns().front());
    });
    connect(m_resume, &QPushButton::clicked, this, [this] {
        if (selectedRuns().size() == 1) Q_EMIT resumeRequested(selectedRuns().front());
    });
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (m_explore->isEnabled() && m_table->item(row, Id))
            Q_EMIT exploreRequested(m_table->item(row, Id)->text().toLongLong());
    });
    connect(m_filter, &QLineEdit::textChanged, this, &RunsBrowser::applyFilter);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &RunsBrowser::updateSelection);
    connect(tag, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString t = QInputDialog::getText(this, tr("Tag runs"), tr("Tag:"), QLineEdit::Normal, QString(), &ok);
        QString error;
        if (ok && !t.trimmed().isEmpty() && !tagSelected(t.trimmed(), &error))
            QMessageBox::warning(this, tr("Tag runs"), error);
    });
    connect(note, &QPushButton::clicked, this, [this] {
        if (selectedRuns().size() != 1) return;
        QString current;
        for (const auto& index : m_table->selectionModel()->selectedRows(Note))
            current = m_table->item(index.row(), Note)->data(Qt::UserRole).toString();
        bool ok = false;
        const QString text = QInputDialog::getMultiLineText(this, tr("Note"), tr("Run %1:").arg(selectedRuns().front()),
                                                            current, &ok);
        QString error;
        if (ok && !setNoteOfSelected(text.trimmed(), &error)) QMessageBox::warning(this, tr("Note"), error);
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (selectedRuns().isEmpty()) return;
        double bytes = 0;
        for (const auto& index : m_table->selectionModel()->selectedRows(Files))
            bytes += m_table->item(index.row(), Files)->data(Qt::UserRole).toDouble();
        QMessageBox question(QMessageBox::Question, tr("Delete runs"),
                             tr("Delete %n run(s) and their metrics? They go to the trash: Undo Delete "
                                "(Ctrl+Z) brings them back.",
                                nullptr, int(selectedRuns().size())),
                             QMessageBox::Yes | QMessageBox::No, this);
        // The checkpoints stay unless asked: a checkpoint is what resumes and exports a run. Asked,
        // they go to the trash with the runs, and the space comes back when it is emptied.
        auto* withFiles = new QCheckBox(
            tr("Also delete their checkpoints (%1 on disk, given back when the trash is emptied; exported "
               "models stay)")
                .arg(megabytes(bytes)));
        withFiles->setEnabled(bytes > 0);
        question.setCheckBox(withFiles);
        if (question.exec() != QMessageBox::Yes) return;
        QString error;
        if (!deleteSelected(&error, withFiles->isChecked())) QMessageBox::warning(this, tr("Delete runs"), error);
    });
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export runs"), QStringLiteral("runs.csv"),
                                                          tr("CSV (*.csv);;JSON (*.json)"));
        QString error;
        if (!path.isEmpty() && !exportSelected(path, &error)) QMessageBox::warning(this, tr("Export runs"), error);
    });
    connect(importButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Import runs"), QString(),
                                                          tr("JSON export (*.json)"));
        QString error;
        if (!path.isEmpty() && !importRuns(path, &error)) QMessageBox::warning(this, tr("Import runs"), error);
    });
    // Two rows: in one, nine buttons beside the filter squeezed it to a few letters and made the
    // window wider than a laptop's screen. The filter with what applies to the whole store, then
    // what applies to the selected runs.
    auto* filterRow = new QHBoxLayout;
    filterRow->addWidget(m_filter, 1);
    for (auto* b : {refreshButton, exportButton, importButton}) filterRow->addWidget(b);
    filterRow->addWidget(m_groupSeeds);
    auto* buttons = new QHBoxLayout;
    for (auto* b : {m_explore, m_resume, tag, note, remove, m_undoDelete, m_trash}) buttons->addWidget(b);
    buttons->addStretch(1);
    m_scatter->setPlaceholderText(tr("Runs with both values appear here, one point each"));
    m_scatter->setLegendCorner(Qt::AlignTop | Qt::AlignLeft);
    m_scatterX->setToolTip(tr("Any numeric setting of the runs, or a result"));
    m_scatterY->setToolTip(tr("A result: best or last ID accuracy, best or last OOD average (at each run's α)"));
    connect(m_scatter->plot(), &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        // The point within a few pixels of the click: its run is selected (Ctrl adds it).
        const QCustomPlot* plot = m_scatter->plot();
        qint64 nearest = -1;
        double best = 6;
        for (const ScatterPoint& p : m_scatterPoints) {
            const double d = std::hypot(plot->xAxis->coordToPixel(p.x) - event->position().x(),
                                        plot->yAxis->coordToPixel(p.y) - event->position().y());
            if (d <= best) {
                best = d;
                nearest = p.run;
            }
        }
        if (nearest < 0) return;
        QList<qint64> ids = event->modifiers() & Qt::ControlModifier ? selectedRuns() : QList<qint64>();
        if (ids.contains(nearest)) ids.removeAll(nearest);
        else ids << nearest;
        selectRuns(ids);
    });
    for (QComboBox* box : {m_scatterX, m_scatterY}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        connect(box, &QComboBox::currentIndexChanged, this, &RunsBrowser::drawScatter);
    }
    // Step, or time since each run started: which method gets there first on this machine.
    m_overlayX->addItems({tr("step"), tr("time (s)")});
    m_overlayX->setToolTip(tr("The curves' x axis: training step, or seconds since each run started"));
    connect(m_overlayX, &QComboBox::currentIndexChanged, this, [this] {
        m_overlay->setXLabel(m_overlayX->currentText());
        updateSelection();
    });
    // Which settings go with good results: a line per run through its settings and results.
    m_parallel->setPlaceholderText(tr("Listed runs appear here, one line each"));
    m_parallelAxes->setText(tr("Axes…"));
    m_parallelAxes->setToolTip(tr("The settings and results drawn as axes; the last one colours the lines (click "
                                  "an axis's name to colour by it)"));
    m_parallelAxes->setPopupMode(QToolButton::InstantPopup);
    m_parallelAxes->setMenu(new QMenu(m_parallelAxes));
    connect(m_parallel, &widgets::ParallelCoordinatesView::runClicked, this, [this](qint64 run, bool adding) {
        QList<qint64> ids = adding ? selectedRuns() : QList<qint64>();
        if (ids.contains(run)) ids.removeAll(run);
        else ids << run;
        selectRuns(ids);
    });
    connect(m_parallel, &widgets::ParallelCoordinatesView::runsBrushed, this,
            [this](const QList<qint64>& brushed, bool adding) {
                QList<qint64> ids = adding ? selectedRuns() : QList<qint64>();
                for (qint64 id : brushed)
                    if (!ids.contains(id)) ids << id;
                selectRuns(ids);
            });
    m_views->addTab(plotPage(m_overlay, {{tr("x"), m_overlayX}}), tr("ID curves"));
    m_views->addTab(plotPage(m_scatter, {{tr("x"), m_scatterX}, {tr("y"), m_scatterY}}), tr("Scatter"));
    m_views->addTab(plotPage(m_parallel, {{QString(), m_parallelAxes}}), tr("Parallel"));
    // Which settings mattered: the listed runs' settings against the result chosen.
    m_importanceOf->addItems(m_resultNames);
    m_importanceOf->setToolTip(tr("The result the settings are weighed against (at each run's α)"));
    connect(m_importanceOf, &QComboBox::currentIndexChanged, this, &RunsBrowser::drawImportance);
    m_views->addTab(plotPage(m_importance, {{tr("of"), m_importanceOf}}), tr("Importance"));
    m_diffHint = new widgets::PlaceholderLabel;
    m_diffPane = new QStackedWidget;
    m_diffPane->addWidget(m_diffHint);
    m_diffPane->addWidget(m_diff);
    auto* lower = new QSplitter;
    lower->addWidget(m_views);
    lower->addWidget(m_diffPane);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(m_table);
    split->addWidget(lower);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(filterRow);
    layout->addLayout(buttons);
    layout->addWidget(split, 1);
    refresh();
}

void RunsBrowser::refresh()
{
    const QList<qint64> keep = selectedRuns();
    m_table->setSortingEnabled(false);
    m_table->setRowCount(0);
    m_numbers.clear();
    try {
        RunStore store(m_databasePath.toStdString());
        for (const RunRecord& r : store.listRuns()) {
            const int row = m_table->rowCount();
            m_table->insertRow(row);
            const auto params = store.params(r.id);
            const RunSummary summary = summarizeRun(store.summaryMetrics(r.id), params);
            auto percent = [](double v) {
                return v < 0 ? QStringLiteral("—") : QStringLiteral("%1 %").arg(100 * v, 0, 'f', 1);
            };
            QStringList tags;
            for (const auto& t : r.tags) tags << QString::fromStdString(t);
            m_table->setItem(row, Id, new NumberItem(double(r.id), QString::number(r.id)));
            m_table->setItem(row, Method, new QTableWidgetItem(QString::fromStdString(r.method)));
            m_table->setItem(row, Status, new QTableWidgetItem(QString::fromLatin1(runStatusName(r.status))));
            m_table->setItem(row, Tags, new QTableWidgetItem(tags.join(QStringLiteral(", "))));
            // The note's first line in the table, all of it in the tooltip.
            const QString noteText = QString::fromStdString(r.note);
            auto* noteItem = new QTableWidgetItem(noteText.section(QLatin1Char('\n'), 0, 0));
            noteItem->setData(Qt::UserRole, noteText);
            noteItem->setToolTip(noteText);
            m_table->setItem(row, Note, noteItem);
            // ISO 8601 UTC in the store; the table shows it to the minute, in local time.
            const QDateTime created = QDateTime::fromString(QString::fromStdString(r.created), Qt::ISODate);
            auto* createdItem = new QTableWidgetItem(
                created.isValid() ? created.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                                  : QString::fromStdString(r.created));
            createdItem->setToolTip(QString::fromStdString(r.created));
            m_table->setItem(row, Created, createdItem);
            // The accuracies are at this alpha: R-Adapter's 0.5 beside fine-tuning's 1.
            auto* alpha = new NumberItem(summary.alpha, QString::number(summary.alpha));
            alpha->setToolTip(tr("The α the run's ID and OOD accuracies were evaluated at"));
            m_table->setItem(row, Alpha, alpha);
            m_table->setItem(row, LastId, new NumberItem(summary.lastId, percent(summary.lastId)));
            m_table->setItem(row, BestId, new NumberItem(summary.bestId, percent(summary.bestId)));
            m_table->setItem(row, LastOod, new NumberItem(summary.lastOod, percent(summary.lastOod)));
            m_table->setItem(row, BestOod, new NumberItem(summary.bestOod, percent(summary.bestOod)));
            m_table->setItem(row, Steps, new NumberItem(double(summary.steps), QString::number(summary.steps)));
            RunNumbers& numbers = m_numbers[r.id];
            numbers.method = QString::fromStdString(r.method);
            for (const auto& [key, value] : params) {
                if (key.rfind("set/", 0) == 0) continue; // the evaluation sets' roles
                const QString name = QString::fromStdString(key), text = QString::fromStdString(value);
                bool number = false;
                const double v = text.toDouble(&number);
                if (number) numbers.values[name] = v;
                numbers.texts[name] = text;
            }
            const double results[] = {summary.bestId, summary.lastId, summary.bestOod, summary.lastOod};
            for (int k = 0; k < m_resultNames.size(); ++k)
                if (results[k] >= 0) {
                    numbers.values[m_resultNames[k]] = 100 * results[k];
                    numbers.texts[m_resultNames[k]] = QString::number(100 * results[k], 'f', 1);
                }
            const auto lr = params.find("lr");
            m_table->setItem(row, LearningRate,
                             new QTableWidgetItem(lr == params.end() ? QString() : QString::fromStdString(lr->second)));
            // The run's own files (its checkpoint): what deleting it with its files frees.
            const std::string folder = store.runFiles(r);
            const double bytes = double(store.runFilesBytes(r));
            auto* files = new NumberItem(bytes, folder.empty() ? QStringLiteral("—") : megabytes(bytes));
            files->setToolTip(folder.empty() ? tr("No files of its own in the store's folder")
                                             : QString::fromStdString(folder));
            m_table->setItem(row, Files, files);
        }
        const bool trashed = trashedDeletionCount(store) > 0; // this session's deletions or earlier ones
        m_undoDelete->setEnabled(trashed);
        m_trash->setEnabled(trashed);
    } catch (const std::exception& e) {
        m_table->setRowCount(0);
        m_table->setToolTip(QString::fromStdString(ra::userMessage(e)));
    }
    m_table->setSortingEnabled(true);
    listScatterAxes();
    listParallelAxes();
    applyFilter();
    selectRuns(keep);
}

QStringList RunsBrowser::settingNames(bool numericOnly) const
{
    QStringList settings;
    for (const RunNumbers& n : m_numbers)
        for (const QString& key : numericOnly ? n.values.keys() : n.texts.keys())
            if (!m_resultNames.contains(key) && !settings.contains(key)) settings << key;
    settings.sort();
    return settings;
}

void RunsBrowser::listScatterAxes()
{
    const QStringList settings = settingNames(true);
    auto fill = [](QComboBox* box, const QStringList& names, const QString& fallback) {
        const QString keep = box->currentText().isEmpty() ? fallback : box->currentText();
        const QSignalBlocker block(box);
        box->clear();
        box->addItems(names);
        box->setCurrentIndex(std::max(0, int(names.indexOf(keep))));
    };
    fill(m_scatterX, settings + m_resultNames, QStringLiteral("lr"));
    fill(m_scatterY, m_resultNames, tr("best OOD avg"));
}

void RunsBrowser::drawScatter()
{
    m_scatter->clear();
    m_scatterPoints.clear();
    const QString xName = m_scatterX->currentText(), yName = m_scatterY->currentText();
    const bool xIsResult = m_resultNames.contains(xName);
    m_scatter->setXLabel(xIsResult ? tr("%1 (%)").arg(xName) : xName);
    m_scatter->setYLabel(tr("%1 (%)").arg(yName));
    struct Series {
        QVector<double> x, y;
        QStringList labels;
    };
    QMap<QString, Series> byMethod;
    double least = 0, most = 0;
    bool allPositive = true;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        if (m_table->isRowHidden(row)) continue; // the filter applies here too
        const RunNumbers n = m_numbers.value(m_table->item(row, Id)->text().toLongLong());
        if (!n.values.contains(xName) || !n.values.contains(yName)) continue;
        const double x = n.values.value(xName);
        Series& s = byMethod[n.method];
        s.x << x;
        s.y << n.values.value(yName);
        s.labels << QStringLiteral("#%1").arg(m_table->item(row, Id)->text());
        m_scatterPoints.append({x, n.values.value(yName), m_table->item(row, Id)->text().toLongLong()});
        allPositive = allPositive && x > 0;
        least = s.x.size() == 1 && byMethod.size() == 1 ? x : std::min(least, x);
        most = std::max(most, x);
    }
    // Rates and decays spread over decades: a logarithmic axis shows them evenly.
    m_scatter->setLogX(!xIsResult && allPositive && widgets::spansDecades(least, most));
    for (auto it = byMethod.begin(); it != byMethod.end(); ++it)
        m_scatter->setScatter(it.key(), it->x, it->y, it->labels);
}

void RunsBrowser::applyFilter()
{
    const QString f = m_filter->text().trimmed();
    for (int row = 0; row < m_table->rowCount(); ++row) {
        bool match = f.isEmpty();
        for (int c : {Id, Method, Status, Tags, Note})
            if (!match && m_table->item(row, c) &&
                (m_table->item(row, c)->text().contains(f, Qt::CaseInsensitive) ||
                 m_table->item(row, c)->toolTip().contains(f, Qt::CaseInsensitive))) // a note's later lines
                match = true;
        m_table->setRowHidden(row, !match);
    }
    drawScatter();
    drawParallel();
    drawImportance();
}

QStringList RunsBrowser::defaultParallelAxes() const
{
    // The settings that differ between the listed runs (what the search varied), then the results.
    QMap<QString, QSet<QString>> distinct;
    QMap<QString, int> present;
    int listed = 0;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        if (m_table->isRowHidden(row)) continue;
        ++listed;
        const RunNumbers n = m_numbers.value(m_table->item(row, Id)->text().toLongLong());
        for (auto it = n.texts.begin(); it != n.texts.end(); ++it)
            if (!m_resultNames.contains(it.key())) {
                distinct[it.key()].insert(it.value());
                ++present[it.key()];
            }
    }
    QStringList axes;
    for (auto it = distinct.begin(); it != distinct.end(); ++it) {
        bool numeric = true;
        for (const QString& v : *it) {
            bool number = false;
            v.toDouble(&number);
            numeric = numeric && number;
        }
        // A setting some runs lack differs too (runs of an older version).
        const bool differs = it->size() > 1 || present.value(it.key()) < listed;
        if (differs && (numeric || it->size() <= kMostDefaultCategories)) axes << it.key();
    }
    return axes + QStringList{tr("best ID"), tr("best OOD avg")};
}

QStringList RunsBrowser::parallelAxes() const
{
    return m_parallelChoice.isEmpty() ? defaultParallelAxes() : m_parallelChoice;
}

void RunsBrowser::setParallelAxes(const QStringList& names)
{
    m_parallelChoice = names;
    listParallelAxes();
    drawParallel();
}

void RunsBrowser::listParallelAxes()
{
    const QStringList settings = settingNames(false);
    const QStringList drawn = parallelAxes();
    QMenu* menu = m_parallelAxes->menu();
    menu->clear();
    for (const QString& name : settings + m_resultNames) {
        QAction* action = menu->addAction(name);
        action->setCheckable(true);
        action->setChecked(drawn.contains(name));
        connect(action, &QAction::toggled, this, [this] {
            // The menu's order: settings by name, then the results, the colouring one last.
            QStringList chosen;
            for (QAction* a : m_parallelAxes->menu()->actions())
                if (a->isChecked()) chosen << a->text();
            m_parallelChoice = chosen;
            drawParallel();
        });
    }
}

void RunsBrowser::drawParallel()
{
    const QStringList axes = parallelAxes();
    // The menu shows what is drawn: the defaults change with the listed runs.
    for (QAction* a : m_parallelAxes->menu()->actions()) {
        const QSignalBlocker block(a);
        a->setChecked(axes.contains(a->text()));
    }
    QVector<widgets::ParallelCoordinatesView::Line> lines;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        if (m_table->isRowHidden(row)) continue; // the filter applies here too
        const qint64 id = m_table->item(row, Id)->text().toLongLong();
        const RunNumbers n = m_numbers.value(id);
        widgets::ParallelCoordinatesView::Line line{id, {}};
        for (const QString& axis : axes) line.values << n.texts.value(axis);
        lines << line;
    }
    m_parallel->setLines(axes, lines);
    m_parallel->setHighlighted(selectedRuns());
}

void RunsBrowser::drawImportance()
{
    const QString result = m_importanceOf->currentText();
    std::vector<std::map<std::string, std::string>> settings;
    std::vector<double> values;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        if (m_table->isRowHidden(row)) continue;
        const RunNumbers n = m_numbers.value(m_table->item(row, Id)->text().toLongLong());
        if (!n.values.contains(result)) continue; // a run without that result says nothing of it
        std::map<std::string, std::string> s;
        for (auto it = n.texts.begin(); it != n.texts.end(); ++it)
            if (!m_resultNames.contains(it.key())) s[it.key().toStdString()] = it.value().toStdString();
        settings.push_back(std::move(s));
        values.push_back(n.values.value(result));
    }
    m_importance->setImportance(settingImportance(settings, values), int(values.size()));
}

std::pair<QCustomPlot*, QString> RunsBrowser::plotInFront() const
{
    if (m_views->currentIndex() == 3) return {nullptr, QStringLiteral("runs-importance")};
    if (m_views->currentIndex() == 1) return {m_scatter->plot(), QStringLiteral("runs-scatter")};
    if (m_views->currentIndex() == 2) return {m_parallel->plot(), QStringLiteral("runs-parallel")};
    return {m_overlay->plot(), QStringLiteral("runs")};
}

QList<qint64> RunsBrowser::selectedRuns() const
{
    QList<qint64> ids;
    for (const auto& index : m_table->selectionModel()->selectedRows(Id))
        ids << m_table->item(index.row(), Id)->text().toLongLong();
    std::sort(ids.begin(), ids.end());
    return ids;
}

void RunsBrowser::selectRuns(const QList<qint64>& ids)
{
    // One selection, one change: row by row, every row's change redrew every view (a search's
    // hundreds of runs selected at once took minutes).
    const QSet<qint64> wanted(ids.begin(), ids.end());
    QItemSelection selection;
    for (int row = 0; row < m_table->rowCount(); ++row)
        if (wanted.contains(m_table->item(row, Id)->text().toLongLong()))
            selection.select(m_table->model()->index(row, 0), m_table->model()->index(row, m_table->columnCount() - 1));
    {
        const QSignalBlocker block(m_table->selectionModel());
        m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    }
    m_table->viewport()->update();
    updateSelection();
}

QString RunsBrowser::diffHint() const
{
    return m_diffPane->currentWidget() == m_diffHint ? m_diffHint->text() : QString();
}

qint64 RunsBrowser::selectedExplorableRun() const { return m_explore->isEnabled() ? selectedRuns().value(0) : 0; }

void RunsBrowser::updateSelection()
{
    const QList<qint64> ids = selectedRuns();
    m_overlay->clear();
    m_diff->clear();
    m_diff->setRowCount(0); // no selection: no empty grid of the last one's size
    m_diff->setColumnCount(0);
    m_diffHint->setText(tr("Select a run to see its settings, or several to see where their settings differ."));
    m_diffPane->setCurrentWidget(m_diffHint);
    // What one selected run can do next, by its status as listed.
    QString status;
    if (ids.size() == 1)
        for (const auto& index : m_table->selectionModel()->selectedRows(Status))
            status = m_table->item(index.row(), Status)->text();
    auto is = [&](RunStatus s) { return status == QLatin1String(runStatusName(s)); };
    m_explore->setEnabled(is(RunStatus::Finished) || is(RunStatus::Interrupted));
    m_resume->setEnabled(is(RunStatus::Interrupted) || is(RunStatus::Failed));
    m_parallel->setHighlighted(ids);
    Q_EMIT selectionChanged();
    if (ids.isEmpty()) return;
    try {
        RunStore store(m_databasePath.toStdString());
        std::map<std::string, std::map<qint64, std::string>> params;
        // Each run's ID curve; with Group seeds, runs whose parameters differ only in the seed are
        // one curve, their mean, over a band of one standard deviation.
        // By step: the value and when it was measured (seconds since the run started).
        struct Curve {
            std::map<int64_t, std::pair<double, double>> byStep;
            QString label;
            int64_t keptStep = 0; // early stopping's: the step whose weights the run kept
        };
        const bool byTime = m_overlayX->currentIndex() == 1;
        std::map<std::map<std::string, std::string>, std::vector<std::pair<qint64, Curve>>> groups;
        for (qint64 id : ids) {
            Curve curve;
            const auto metrics = store.summaryMetrics(id); // the evaluations: the ID curve is among them
            const auto runParams = store.params(id);
            const RunSummary summary = summarizeRun(metrics, runParams);
            const std::string idKey = "acc/" + summary.idSet; // the summary's ID series
            for (const auto& m : metrics)
                if (m.key == idKey) curve.byStep[m.step] = {m.time, 100 * m.value};
            const auto r = store.run(id);
            curve.label = tr("%1, α %2").arg(QString::fromStdString(r.method)).arg(summary.alpha);
            if (const auto best = store.metrics(id, "best_step"); !best.empty()) {
                curve.keptStep = int64_t(best.back().value); // the last evaluation's best is the one kept
                curve.label += tr("; kept step %1").arg(curve.keptStep);
            }
            for (const auto& [k, v] : runParams) params[k][id] = v;
            auto key = runParams;
            key.erase("seed");
            if (!m_groupSeeds->isChecked()) key["run"] = std::to_string(id); // every run its own group
            groups[key].emplace_back(id, std::move(curve));
        }
        for (const auto& [key, members] : groups) {
            if (members.size() == 1) {
                const auto& [id, curve] = members.front();
                QVector<double> x, y;
                for (const auto& [step, point] : curve.byStep) {
                    x << (byTime ? point.first : double(step));
                    y << point.second;
                }
                const QString name = tr("run %1 (%2)").arg(id).arg(curve.label);
                if (!x.isEmpty()) m_overlay->setSeries(name, x, y);
                if (const auto kept = curve.byStep.find(curve.keptStep); kept != curve.byStep.end())
                    m_overlay->ringPoint(name, byTime ? kept->second.first : double(kept->first));
                continue;
            }
            std::map<int64_t, std::vector<std::pair<double, double>>> values; // by step, over the seeds
            QStringList runIds;
            for (const auto& [id, curve] : members) {
                runIds << QString::number(id);
                for (const auto& [step, point] : curve.byStep) values[step].push_back(point);
            }
            QVector<double> x, mean, lower, upper;
            for (const auto& [step, v] : values) {
                std::vector<double> times, accuracies;
                for (const auto& [t, a] : v) {
                    times.push_back(t);
                    accuracies.push_back(a);
                }
                const MeanStd m = meanStd(accuracies); // the seeds' mean value and its spread
                x << (byTime ? meanStd(times).mean : double(step));
                mean << m.mean;
                lower << m.mean - m.std;
                upper << m.mean + m.std;
            }
            const QString name = tr("runs %1 (%2, mean of %3 seeds ± std)")
                                     .arg(runIds.join(QStringLiteral(", ")), members.front().second.label)
                                     .arg(members.size());
            m_overlay->setSeries(name, x, mean);
            m_overlay->setBand(name, x, lower, upper);
        }
        // Parameter diff: only the keys whose values differ between the selected runs.
        QStringList keys;
        for (const auto& [k, values] : params) {
            std::set<std::string> distinct;
            for (qint64 id : ids) distinct.insert(values.count(id) ? values.at(id) : std::string("—"));
            if (distinct.size() > 1 || ids.size() == 1) keys << QString::fromStdString(k);
        }
        m_diff->setRowCount(keys.size());
        m_diff->setColumnCount(ids.size());
        QStringList headers;
        for (qint64 id : ids) headers << tr("run %1").arg(id);
        m_diff->setHorizontalHeaderLabels(headers);
        m_diff->setVerticalHeaderLabels(keys);
        for (int r = 0; r < keys.size(); ++r)
            for (int c = 0; c < ids.size(); ++c) {
                const auto& values = params[keys[r].toStdString()];
                auto it = values.find(ids[c]);
                m_diff->setItem(r, c,
                                new QTableWidgetItem(it == values.end() ? QStringLiteral("—")
                                                                        : QString::fromStdString(it->second)));
            }
        if (keys.isEmpty()) m_diffHint->setText(tr("The selected runs' settings are all the same."));
        else m_diffPane->setCurrentWidget(m_diff);
    } catch (const std::exception&) {}
}

bool RunsBrowser::exportSelected(const QString& path, QString* error)
{
    try {
        ra::checkSaveAsTarget(path.toStdString()); // never over the store it reads, nor any other
        RunStore store(m_databasePath.toStdString());
        std::vector<int64_t> ids;
        for (qint64 id : selectedRuns()) ids.push_back(id);
        const std::string text = path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive) ? store.exportJson(ids)
                                                                                            : store.exportCsv(ids);
        // Beside the target, renamed over it only when every byte is on disk: a full disk neither
        // leaves half a file nor destroys the one being replaced. (Qt 6.4's QSaveFile commits a
        // file cut short by a file-size limit, so core's AtomicFile does it.)
        ra::writeFileAtomically(path.toStdString(), text, "the exported runs");
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(ra::userMessage(e));
        return false;
    }
}

bool RunsBrowser::importRuns(const QString& path, QString* error)
{
    try {
        RunStore store(m_databasePath.toStdString());
        const std::vector<int64_t> ids = store.importRunFile(path.toStdString());
        refresh();
        selectRuns(QList<qint64>(ids.begin(), ids.end())); // what came in, selected
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(ra::userMessage(e));
        return false;
    }
}

bool RunsBrowser::deleteSelected(QString* error, bool withFiles)
{
    bool failed = false;
    try {
        const QList<qint64> selected = selectedRuns();
        if (selected.isEmpty()) return true;
        RunStore store(m_databasePath.toStdString());
        deleteRunsToTrash(store, std::vector<int64_t>(selected.begin(), selected.end()), withFiles);
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(ra::userMessage(e));
        failed = true;
    }
    refresh();
    return !failed;
}

bool RunsBrowser::undoDelete(QString* error)
{
    try {
        RunStore store(m_databasePath.toStdString());
        const std::vector<TrashedDeletion> deletions = trashedDeletions(store, 1); // the newest
        if (deletions.empty()) return false;
        const std::vector<int64_t> ids = restoreDeletion(store, deletions.front());
        refresh();
        selectRuns(QList<qint64>(ids.begin(), ids.end()));
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(ra::userMessage(e));
        refresh();
        return false;
    }
}

bool RunsBrowser::tagSelected(const QString& tag, QString* error)
{
    try {
        RunStore store(m_databasePath.toStdString());
        for (qint64 id : selectedRuns()) store.addTag(id, tag.toStdString());
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(ra::userMessage(e));
        return false;
    }
    refresh();
    return true;
}

bool RunsBrowser::setNoteOfSelected(const QString& text, QString* error)
{
    const QList<qint64> ids = selectedRuns();
    if (ids.size() != 1) {
        if (error) *error = tr("Select one run to write its note.");
        return false;
    }
    try {
        RunStore store(m_databasePath.toStdString(), RunStore::Access::ExistingReadWrite);
        store.setNote(ids.front(), text.toStdString());
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(ra::userMessage(e));
        return false;
    }
    refresh();
    return true;
}

} // namespace ra::app
