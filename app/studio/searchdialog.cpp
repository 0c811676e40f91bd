#include "studio/searchdialog.h"

#include "util/error.h"
#include "warninglabel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ra::app {

SearchDialog::SearchDialog(const TrainConfig& base, QWidget* parent)
    : QDialog(parent), m_base(base), m_tag(new QLineEdit(QString::fromStdString(defaultSearchTag()))),
      m_summary(new QLabel), m_problem(new widgets::WarningLabel),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setWindowTitle(tr("Search hyper-parameters"));
    auto* intro = new QLabel(tr("Every combination of these values is one run, trained one after another from the "
                                "form's settings and tagged together. The combinations are ranked by ID "
                                "validation accuracy, never by OOD accuracy; the runs browser's Parallel tab "
                                "then shows which settings go with good results."));
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
        m_values[i]->setPlaceholderText(tr("values, separated by commas"));
        auto* row = new QHBoxLayout;
        row->addWidget(m_keys[i]);
        row->addWidget(m_values[i], 1);
        form->addRow(tr("Setting %1").arg(i + 1), row);
    }
    for (int i = 0; i < kRows; ++i) { // once every row exists: check() reads them all
        connect(m_keys[i], &QComboBox::currentIndexChanged, this, &SearchDialog::check);
        connect(m_values[i], &QLineEdit::textChanged, this, &SearchDialog::check);
    }
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

void SearchDialog::setTag(const QString& tag) { m_tag->setText(tag); }

QString SearchDialog::tag() const { return m_tag->text().trimmed(); }

QString SearchDialog::problem() const { return m_problem->isHidden() ? QString() : m_problem->text(); }

QPushButton* SearchDialog::okButton() const { return m_buttons->button(QDialogButtonBox::Ok); }

std::vector<SearchAxis> SearchDialog::axes() const
{
    std::vector<SearchAxis> axes;
    for (int i = 0; i < kRows; ++i) {
        const QString key = m_keys[i]->currentData().toString();
        if (!key.isEmpty())
            axes.push_back(parseSearchAxis((key + QLatin1Char('=') + m_values[i]->text()).toStdString()));
    }
    return axes;
}

void SearchDialog::check()
{
    m_runs = 0;
    QString problem;
    try {
        const std::vector<SearchAxis> chosen = axes();
        if (chosen.empty()) throw Error(tr("Choose a setting to search.").toStdString());
        const auto combinations = expandSearch(chosen);
        checkSearch(m_base, combinations);
        if (tag().isEmpty()) throw Error(tr("The runs need a tag.").toStdString());
        m_runs = int(combinations.size());
    } catch (const std::exception& e) {
        // The core's sentences name the command-line option; here the rows are what was given.
        problem = QString::fromStdString(e.what()).remove(QStringLiteral("--grid: ")).remove(QStringLiteral("--grid "));
    }
    m_summary->setText(m_runs == 1      ? tr("1 run.")
                           : m_runs > 1 ? tr("%1 runs, trained one after another.").arg(m_runs)
                                        : QString());
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    okButton()->setEnabled(m_runs > 0);
}

} // namespace ra::app
