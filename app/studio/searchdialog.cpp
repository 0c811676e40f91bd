#include "studio/searchdialog.h"

#include "config/bayessearch.h"
#include "util/error.h"
#include "util/labeltext.h"
#include "warninglabel.h"

#include <QComboBox>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <optional>
#include <set>

namespace ra::app {
namespace {

// A row's values are a range to draw from ("1e-4 : 1e-2 : log") rather than a list.
bool isRange(const QString& values) { return values.contains(QLatin1Char(':')); }

} // namespace

SearchDialog::SearchDialog(const TrainConfig& base, QWidget* parent)
    : QDialog(parent), m_base(base), m_tag(new QLineEdit(QString::fromStdString(defaultSearchTag()))),
      m_samples(new QSpinBox), m_halving(new QCheckBox(tr("the best third goes on at each rung"))),
      m_bayes(new QCheckBox(tr("after the first quarter, each draw chosen from the results so far"))),
      m_summary(new QLabel), m_problem(new widgets::WarningLabel),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setWindowTitle(tr("Search hyper-parameters"));
    auto* intro = new QLabel(tr("Every combination of these values is one run, trained one after another from the "
                                "form's settings and tagged together. A range (low : high, or low : high : log "
                                "for rates) is drawn from at random instead, once per draw. The combinations are "
                                "ranked by ID validation accuracy, never by OOD accuracy; the runs browser's "
                                "Parallel tab then shows which settings go with good results."));
    intro->setWordWrap(true);
    auto* form = new QFormLayout;
    const auto& help = settingHelp();
    for (int i = 0; i < kRows; ++i) {
        m_keys[i] = new QComboBox;
        m_keys[i]->addItem(tr("(none)"), QString());
        for (const auto& [key, text] : help) {
            m_keys[i]->addItem(QString::fromStdString(key), QString::fromStdString(key));
            m_keys[i]->setItemData(m_keys[i]->count() - 1, QString::fromStdString(text), Qt::ToolTipRole);
        }
        m_values[i] = new QLineEdit;
        m_values[i]->setPlaceholderText(tr("values, separated by commas; or low : high [: log]"));
        auto* row = new QHBoxLayout;
        row->addWidget(m_keys[i]);
        row->addWidget(m_values[i], 1);
        form->addRow(tr("Setting %1").arg(i + 1), row);
    }
    for (int i = 0; i < kRows; ++i) { // once every row exists: check() reads them all
        connect(m_keys[i], &QComboBox::currentIndexChanged, this, &SearchDialog::check);
        connect(m_values[i], &QLineEdit::textChanged, this, &SearchDialog::check);
    }
    // Random search: how many draws of the ranges (each crossed with the listed values).
    m_samples->setRange(1, int(kMostSearchRuns));
    m_samples->setValue(8);
    m_samples->setSuffix(tr(" draws"));
    m_samples->setToolTip(tr("How many times the ranges are drawn from. The draws are the same every time (more "
                             "draws add to them), so a search started again with its tag reuses its runs"));
    connect(m_samples, &QSpinBox::valueChanged, this, &SearchDialog::check);
    form->addRow(tr("Random draws"), m_samples);
    m_bayes->setToolTip(tr("Bayesian optimisation (the tree-structured Parzen estimator, as radapter search --bayes): "
                           "the first quarter of the draws are random, every later one is chosen where the ID "
                           "validation accuracy of those before it was best"));
    connect(m_bayes, &QCheckBox::toggled, this, &SearchDialog::check);
    form->addRow(tr("Bayesian (TPE)"), m_bayes);
    m_halving->setToolTip(tr("Successive halving: every combination trains a ninth or a third of the steps, the best "
                             "third by ID validation accuracy goes on, three times as far, and only the last trains "
                             "every step. The ones cut stay interrupted, saying why (Resume trains one on)"));
    connect(m_halving, &QCheckBox::toggled, this, &SearchDialog::check);
    form->addRow(tr("Successive halving"), m_halving);
    m_tag->setToolTip(tr("Every run of the search gets this tag: filter the runs browser by it"));
    connect(m_tag, &QLineEdit::textChanged, this, &SearchDialog::check);
    form->addRow(tr("Tag"), m_tag);
    m_problem->setWordWrap(true);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_summary);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    // The usual first search: the learning rate a factor of three either side of the form's.
    const double lr = base.learningRate;
    setRow(0, QStringLiteral("lr"),
           QStringLiteral("%1, %2, %3").arg(lr / 3, 0, 'g', 3).arg(lr, 0, 'g', 3).arg(lr * 3, 0, 'g', 3));
    resize(560, sizeHint().height());
}

void SearchDialog::setRow(int i, const QString& key, const QString& values)
{
    const int index = m_keys[i]->findData(key);
    m_keys[i]->setCurrentIndex(std::max(0, index));
    m_values[i]->setText(values);
    check();
}

void SearchDialog::setSamples(int draws) { m_samples->setValue(draws); }

void SearchDialog::setHalving(bool on) { m_halving->setChecked(on); }

void SearchDialog::setBayes(bool on) { m_bayes->setChecked(on); }

void SearchDialog::setTag(const QString& tag) { m_tag->setText(tag); }

QString SearchDialog::summary() const { return m_summary->text(); }

QString SearchDialog::tag() const { return m_tag->text().trimmed(); }

QString SearchDialog::problem() const { return m_problem->isHidden() ? QString() : m_problem->text(); }

QPushButton* SearchDialog::okButton() const { return m_buttons->button(QDialogButtonBox::Ok); }

SearchSpec SearchDialog::spec() const
{
    SearchSpec spec;
    for (int i = 0; i < kRows; ++i) {
        const QString key = m_keys[i]->currentData().toString();
        if (key.isEmpty()) continue;
        const std::string row = (key + QLatin1Char('=') + m_values[i]->text()).toStdString();
        if (isRange(m_values[i]->text())) spec.ranges.push_back(parseSearchRange(row));
        else spec.grid.push_back(parseSearchAxis(row));
    }
    if (!spec.ranges.empty()) spec.samples = m_samples->value();
    spec.halving = m_halving->isChecked();
    spec.bayes = m_bayes->isChecked() && !spec.ranges.empty();
    return spec;
}

void SearchDialog::check()
{
    m_runs = 0;
    QString problem, halvingNote;
    try {
        bool drawn = false; // a range row: the number of draws applies
        for (int i = 0; i < kRows; ++i)
            drawn = drawn || (!m_keys[i]->currentData().toString().isEmpty() && isRange(m_values[i]->text()));
        m_samples->setEnabled(drawn);
        m_bayes->setEnabled(drawn);
        const SearchSpec chosen = spec();
        if (chosen.grid.empty() && chosen.ranges.empty()) throw Error(tr("Choose a setting to search.").toStdString());
        if (const std::string why = bayesProblem(chosen); !why.empty()) throw Error(why);
        // Bayesian: the draws are made as the search goes; the start and the ranges' ends are checked.
        const std::optional<BayesSearch> bayes = chosen.bayes ? std::optional<BayesSearch>(chosen) : std::nullopt;
        const auto combinations = bayes ? bayes->plannedBounds() : planSearch(chosen);
        checkSearch(m_base, combinations);
        if (chosen.halving)
            if (const std::string why = halvingProblem(m_base, combinations); !why.empty()) throw Error(why);
        if (tag().isEmpty()) throw Error(tr("The runs need a tag.").toStdString());
        if (const std::string problem = labelProblem(tag().toStdString(), "a tag"); !problem.empty())
            throw Error(tr("Tag: %1.").arg(QString::fromStdString(problem)).toStdString());
        m_runs = int(bayes ? bayes->runs() : combinations.size());
        if (chosen.halving) {
            std::set<std::string> arms;
            for (const auto& c : combinations) arms.insert(describeSettings(c, true));
            const int64_t steps = halvingTrainingSteps(m_base.steps, arms.size(), combinations.size() / arms.size());
            QStringList rungs;
            for (int r : halvingRungs(m_base.steps, arms.size())) rungs << QString::number(r);
            halvingNote = tr(" Successive halving trains them %1 steps in all instead of %2 (compared at steps %3).")
                              .arg(QLocale().toString(qlonglong(steps)))
                              .arg(QLocale().toString(qlonglong(m_runs) * m_base.steps))
                              .arg(rungs.join(QStringLiteral(", ")));
        }
    } catch (const std::exception& e) {
        // The core's sentences name the command-line option; here the rows are what was given.
        problem = QString::fromStdString(e.what());
        for (const char* option : {"--grid", "--range", "--samples"})
            problem.remove(QLatin1String(option) + QStringLiteral(": "))
                .remove(QLatin1String(option) + QLatin1Char(' '));
    }
    m_summary->setText((m_runs == 1      ? tr("1 run.")
                            : m_runs > 1 ? tr("%1 runs, trained one after another.").arg(m_runs)
                                         : QString()) +
                       (m_runs > 0 ? halvingNote : QString()));
    m_summary->setWordWrap(true);
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    okButton()->setEnabled(m_runs > 0);
}

} // namespace ra::app
