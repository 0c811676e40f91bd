#include "studio/democomparison.h"

#include "curveplot.h"
#include "placeholderlabel.h"
#include "demo/demoseeds.h"
#include "demo/demostory.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace ra::app {

DemoComparisonView::DemoComparisonView(QWidget* parent)
    : QWidget(parent), m_run(new QPushButton(tr("Run the Demo Comparison"))),
      m_open(new QPushButton(tr("Open Results…"))), m_seed(new QSpinBox), m_log(new QLabel), m_table(new QTableWidget),
      m_tableHint(new widgets::PlaceholderLabel(
          tr("Each method's accuracy on the ID test set and on every OOD set, with its alpha, "
             "appears here after the comparison has run — or open one run before."))),
      m_tablePane(new QStackedWidget),
      m_plot(new widgets::CurvePlot(tr("ID test accuracy (%)"), tr("OOD average accuracy (%)"))), m_story(new QLabel)
{
    m_run->setToolTip(
        tr("Trains full fine-tuning and R-Adapter on the demo project (its 150 steps each, one and a half to three "
           "minutes on two cores), evaluates both along alpha and compares them with zero-shot and WiSE-FT, as "
           "`radapter demo` does. R-Adapter's alpha is chosen on the ID validation set only."));
    m_open->setToolTip(
        tr("Shows comparisons run before, without training: files `radapter demo --json` wrote, such as the "
           "README's seeds in docs/results/seed-0.json to seed-2.json. Several seeds (select several files, or a "
           "`--seeds` file) are shown as the README's table: each cell's mean ± standard deviation. The last "
           "comparison run here is shown on every start."));
    m_seed->setRange(0, 999);
    m_seed->setPrefix(tr("seed "));
    m_seed->setToolTip(tr("The seed of both trainings (data order, crops, prompts, adapter dropping). The README's "
                          "table is the mean over seeds 0, 1 and 2; run them in turn to see the spread, or "
                          "`radapter demo --seeds 0,1,2`."));
    m_log->setWordWrap(true);
    m_log->setText(
        tr("The paper's comparison on the digits-shift world: what fine-tuning gains in-distribution, what it "
           "loses under shift, and where R-Adapter and WiSE-FT land."));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setVisible(false);
    // One line a cell: "94.3 ± 0.4 %" wrapped in a column not yet widened to it made every row
    // three lines high, and the figure below lost that height.
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    // Until a result is shown, a sentence instead of an empty white table.
    m_tablePane->addWidget(m_tableHint);
    m_tablePane->addWidget(m_table);
    m_plot->setPlaceholderText(tr("Each method's ID and OOD accuracy appear here after the comparison has run"));
    m_plot->setEmptyRange(0, 100, 0, 100);
    m_plot->setPointSize(12);
    // On the ID-OOD plane fine-tuning sits bottom right and zero-shot left; bottom left is free.
    m_plot->setLegendCorner(Qt::AlignBottom | Qt::AlignLeft);
    auto* top = new QHBoxLayout;
    top->addWidget(m_run);
    top->addWidget(m_seed);
    top->addWidget(m_open);
    top->addWidget(m_log, 1);
    // Beside the figure, the story it tells, claim by claim, so a class reads the picture and the
    // verdict together.
    m_story->setWordWrap(true);
    m_story->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_story->setTextFormat(Qt::RichText);
    m_story->setMinimumWidth(240);
    m_story->setText(tr("<b>The paper's story</b><br>After a run: which of its claims this run shows, and by how "
                        "much."));
    m_story->setObjectName(QStringLiteral("PaperStory"));
    // Scrolled where the figure's column is short (a projector's 1280 x 720): the last claims,
    // R-Adapter against WiSE-FT and its curve, are the story's point and were cut off there.
    auto* storyScroll = new QScrollArea;
    storyScroll->setWidget(m_story);
    storyScroll->setWidgetResizable(true);
    storyScroll->setFrameShape(QFrame::NoFrame);
    storyScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Room for the story's least width beside the scroll bar, which would otherwise cover its ends.
    storyScroll->setMinimumWidth(m_story->minimumWidth() +
                                 storyScroll->style()->pixelMetric(QStyle::PM_ScrollBarExtent));
    auto* figure = new QSplitter(Qt::Horizontal);
    figure->addWidget(m_plot);
    figure->addWidget(storyScroll);
    figure->setStretchFactor(0, 3);
    figure->setStretchFactor(1, 1);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(m_tablePane);
    split->addWidget(figure);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);
    connect(m_run, &QPushButton::clicked, this, &DemoComparisonView::runRequested);
    connect(m_open, &QPushButton::clicked, this, &DemoComparisonView::openRequested);
}

qint64 DemoComparisonView::seed() const { return m_seed->value(); }

QString DemoComparisonView::statusText() const { return m_log->text(); }

QString DemoComparisonView::storyText() const { return m_story->text(); }

QString DemoComparisonView::tableHint() const
{
    return m_tablePane->currentWidget() == m_tableHint ? m_tableHint->text() : QString();
}

void DemoComparisonView::setRunning(bool running)
{
    m_run->setEnabled(!running);
    m_open->setEnabled(!running);
    m_seed->setEnabled(!running);
    if (running) m_log->setText(tr("Starting…"));
}

void DemoComparisonView::appendLog(const QString& line) { m_log->setText(line); }

namespace {

// One method's cells: its accuracy as "94.3 %", or over seeds as "94.3 ± 0.4 %".
QString percentText(double v) { return QStringLiteral("%1 %").arg(100 * v, 0, 'f', 1); }
QString percentText(const MeanStd& v)
{
    return QStringLiteral("%1 ± %2 %").arg(100 * v.mean, 0, 'f', 1).arg(100 * v.std, 0, 'f', 1);
}

} // namespace

void DemoComparisonView::setResult(const ra::DemoResult& r, const QString& origin)
{
    if (r.methods.empty()) return;
    QList<Row> rows;
    for (const DemoMethodResult& m : r.methods) {
        Row row{QString::fromStdString(m.name),
                QString::number(m.alpha, 'f', 1),
                {percentText(m.id), percentText(m.oodAverage)},
                m.id,
                m.oodAverage};
        for (const auto& [set, acc] : m.ood) row.cells << percentText(acc);
        rows << row;
    }
    const AlphaChoice& c = r.alphaChoice;
    const QString when = origin.isEmpty() ? tr("Done in %1 s, seed %2.").arg(r.seconds, 0, 'f', 0).arg(r.seed)
                                          : tr("%1 (seed %2, %3 s).").arg(origin).arg(r.seed).arg(r.seconds, 0, 'f', 0);
    display(r.methods.front(), rows, r.wiseFtCurve, r.radapterCurve, checkPaperStory(r),
            tr("<b>The paper's story on this run</b> (seed %1; the bars the demo world was designed to, "
               "docs/ood-suite.md)")
                .arg(r.seed),
            when + QLatin1Char(' ') +
                tr("R-Adapter's α = %1: the smallest within one standard error (%2 points) of the best "
                   "ID-validation accuracy, %3 % at α = %4; OOD data was never used to choose.")
                    .arg(c.oneStandardError, 0, 'f', 1)
                    .arg(100 * c.standardError, 0, 'f', 1)
                    .arg(100 * c.bestAccuracy, 0, 'f', 1)
                    .arg(c.argmax, 0, 'f', 1));
}

void DemoComparisonView::setSeeds(const std::vector<ra::DemoResult>& runs, const QString& origin)
{
    const std::vector<DemoMethodSummary> summary = summarizeDemoSeeds(runs); // throws for unlike runs
    QList<Row> rows;
    for (const DemoMethodSummary& m : summary) {
        // Each seed's alpha where they differ (R-Adapter's, chosen per seed): "1.2/1.1/1.1".
        const bool same = std::all_of(m.alphas.begin(), m.alphas.end(), [&](double a) { return a == m.alphas[0]; });
        QStringList alphas;
        for (size_t i = 0; i < (same ? 1 : m.alphas.size()); ++i) alphas << QString::number(m.alphas[i], 'f', 1);
        Row row{QString::fromStdString(m.name),
                alphas.join(QLatin1Char('/')),
                {percentText(m.id), percentText(m.oodAverage)},
                m.id.mean,
                m.oodAverage.mean};
        for (const auto& [set, acc] : m.ood) row.cells << percentText(acc);
        rows << row;
    }
    QStringList seeds;
    for (const DemoResult& r : runs) seeds << QString::number(r.seed);
    const std::vector<DemoCurvePoint> wiseFtCurve = meanWiseFtCurve(runs);
    display(runs.front().methods.front(), rows, wiseFtCurve, meanRAdapterCurve(runs),
            checkPaperStory(summary, wiseFtCurve),
            tr("<b>The paper's story on the means</b> (seeds %1; the bars the demo world was designed to, "
               "docs/ood-suite.md)")
                .arg(seeds.join(QStringLiteral(", "))),
            tr("%1: mean ± standard deviation over seeds %2, as the README's table. R-Adapter's α is chosen per seed "
               "on ID validation (one-standard-error rule); OOD data was never used to choose.")
                .arg(origin, seeds.join(QStringLiteral(", "))));
}

void DemoComparisonView::display(const DemoMethodResult& first, const QList<Row>& rows,
                                 const std::vector<DemoCurvePoint>& wiseFtCurve,
                                 const std::vector<DemoCurvePoint>& radapterCurve,
                                 const std::vector<StoryClaim>& claims, const QString& storyTitle,
                                 const QString& status)
{
    m_tablePane->setCurrentWidget(m_table);
    // The figure's two axes first, so they stay in view when the sets' columns scroll.
    QStringList headers = {tr("Method"), tr("α"), tr("ID test"), tr("OOD avg")};
    for (const auto& [set, acc] : first.ood) headers << QString::fromStdString(set);
    m_table->clear();
    m_table->setColumnCount(headers.size());
    m_table->setHorizontalHeaderLabels(headers);
    m_table->setRowCount(int(rows.size()));
    m_plot->clear();
    for (int i = 0; i < int(rows.size()); ++i) {
        const Row& row = rows[i];
        m_table->setItem(i, 0, new QTableWidgetItem(row.name));
        m_table->setItem(i, 1, new QTableWidgetItem(row.alpha));
        for (int c = 0; c < int(row.cells.size()); ++c) {
            auto* item = new QTableWidgetItem(row.cells[c]);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_table->setItem(i, 2 + c, item);
        }
    }
    // The paper's figure: both interpolation curves over alpha, and the four methods as points.
    auto path = [&](const QString& name, const std::vector<DemoCurvePoint>& curve) {
        QVector<double> x, y;
        QStringList labels;
        for (const auto& p : curve) {
            x << 100 * p.id;
            y << 100 * p.oodAverage;
            labels << QStringLiteral("α %1").arg(p.alpha, 0, 'g', 3);
        }
        m_plot->setPath(name, x, y, labels);
    };
    // The legend names each curve's alpha range: R-Adapter's reaches past 1 to its chosen alphas.
    auto range = [](const std::vector<DemoCurvePoint>& curve) {
        return curve.empty() ? QString() : QStringLiteral("α 0→%1").arg(curve.back().alpha, 0, 'g', 3);
    };
    path(tr("WiSE-FT curve (fine-tuned weights, %1)").arg(range(wiseFtCurve)), wiseFtCurve);
    path(tr("R-Adapter curve (%1)").arg(range(radapterCurve)), radapterCurve);
    for (const Row& row : rows) {
        if (std::find(kDemoKeyMethods.begin(), kDemoKeyMethods.end(), row.name.toStdString()) == kDemoKeyMethods.end())
            continue; // the other R-Adapter rows lie on its curve
        const QString name = row.name == QLatin1String("R-Adapter")
            ? tr("R-Adapter, α %1 chosen on ID validation").arg(row.alpha)
            : QStringLiteral("%1 (α %2)").arg(row.name, row.alpha);
        m_plot->setSeries(name, {100 * row.id}, {100 * row.oodAverage});
    }
    // Every method visible without scrolling: the table asks for its rows' height.
    m_table->resizeRowsToContents();
    int height = m_table->horizontalHeader()->height() + 2 * m_table->frameWidth();
    for (int row = 0; row < m_table->rowCount(); ++row) height += m_table->rowHeight(row);
    m_table->setMinimumHeight(height);
    QString story = storyTitle + QStringLiteral("<table cellspacing='0' cellpadding='2'>");
    for (const StoryClaim& claim : claims)
        story += QStringLiteral("<tr><td valign='top'>%1</td><td>%2</td></tr>")
                     .arg(claim.holds ? QStringLiteral("<span style='color:#1a7f37'>✓</span>")
                                      : QStringLiteral("<span style='color:#cf222e'>✗</span>"),
                          QString::fromStdString(claim.text).toHtmlEscaped());
    story += QStringLiteral("</table>");
    m_story->setText(story);
    m_log->setText(status);
}

} // namespace ra::app
