#include "hyperparameterform.h"

#include "warninglabel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSet>

namespace ra::widgets {
namespace {

struct Field {
    const char* key;
    const char* label;
};

const QList<Field>& fields()
{
    static const QList<Field> f = {
        {"method", "Method"},
        {"steps", "Steps"},
        {"epochs", "Epochs (0 = use steps)"},
        {"batch", "Batch size"},
        {"lr", "Learning rate"},
        {"schedule", "Schedule"},
        {"warmup", "Warm-up steps (-1 = auto)"},
        {"wd", "Weight decay"},
        {"p", "Drop probability p"},
        {"granularity", "Dropping granularity"},
        {"ema", "EMA momentum m"},
        {"use_ema", "Use EMA weights"},
        {"alpha", "Alpha (-1 = method's default)"},
        {"loss", "Loss"},
        {"eps", "Label smoothing eps"},
        {"delta", "Margin delta"},
        {"rank", "Adapter rank (0 = full)"},
        {"lora_rank", "LoRA rank"},
        {"precision", "Precision"},
        {"threads", "Threads (0 = all)"},
        {"seed", "Seed"},
        {"eval_every", "Evaluate every"},
        {"eval_limit", "Images per eval set (0 = all)"},
        {"early_stop_patience", "Early stop after evaluations (0 = never)"},
        {"early_stop_min_delta", "Early stop: least gain (points)"},
    };
    return f;
}

} // namespace

HyperParameterForm::HyperParameterForm(QWidget* parent)
    : QWidget(parent), m_form(new QFormLayout(this)), m_status(new WarningLabel(this))
{
    const auto& choices = settingChoices(); // core's vocabulary, never a second copy here
    for (const Field& f : fields()) {
        QWidget* editor;
        if (const auto c = choices.find(f.key); c != choices.end()) {
            auto* combo = new QComboBox(this);
            for (const auto& value : c->second) combo->addItem(QString::fromStdString(value));
            connect(combo, &QComboBox::currentTextChanged, this, [this] { validate(); });
            editor = combo;
        } else {
            auto* line = new QLineEdit(this);
            connect(line, &QLineEdit::textChanged, this, [this] { validate(); });
            editor = line;
        }
        editor->setObjectName(QString::fromLatin1(f.key));
        m_editors.insert(QString::fromLatin1(f.key), editor);
        auto* label = new QLabel(tr(f.label), this); // tooltips: greyOutUnused, from setConfig below
        m_labels.insert(QString::fromLatin1(f.key), label);
        m_form->addRow(label, editor);
    }
    m_status->setWordWrap(true);
    m_form->addRow(m_status);
    setConfig(TrainConfig{});
}

void HyperParameterForm::setValue(const QString& key, const QString& value)
{
    QWidget* e = m_editors.value(key);
    if (auto* combo = qobject_cast<QComboBox*>(e)) combo->setCurrentText(value);
    else if (auto* line = qobject_cast<QLineEdit*>(e)) line->setText(value);
}

QString HyperParameterForm::value(const QString& key) const
{
    QWidget* e = m_editors.value(key);
    if (auto* combo = qobject_cast<QComboBox*>(e)) return combo->currentText();
    if (auto* line = qobject_cast<QLineEdit*>(e)) return line->text();
    return {};
}

void HyperParameterForm::setConfig(const TrainConfig& config)
{
    m_base = config;
    const auto params = config.toParams();
    for (auto it = m_editors.begin(); it != m_editors.end(); ++it) {
        auto p = params.find(it.key().toStdString());
        if (p != params.end()) {
            const QSignalBlocker block(it.value());
            setValue(it.key(), QString::fromStdString(p->second));
        }
    }
    validate();
}

bool HyperParameterForm::config(TrainConfig* out, QString* error) const
{
    TrainConfig c = m_base;
    try {
        for (auto it = m_editors.begin(); it != m_editors.end(); ++it)
            c.applySetting(it.key().toStdString(), value(it.key()).trimmed().toStdString());
        c.validate();
    } catch (const std::exception& e) {
        if (error) *error = QString::fromUtf8(e.what());
        return false;
    }
    if (out) *out = c;
    return true;
}

void HyperParameterForm::validate()
{
    QString error;
    const bool ok = config(nullptr, &error);
    m_status->setText(ok ? QString() : error);
    m_status->setVisible(!ok);
    greyOutUnused();
    Q_EMIT changed();
}

void HyperParameterForm::greyOutUnused()
{
    // The settings as far as they are valid: one invalid value must not hide what the others mean.
    TrainConfig c = m_base;
    QSet<QString> invalid;
    for (auto it = m_editors.begin(); it != m_editors.end(); ++it) {
        try {
            c.applySetting(it.key().toStdString(), value(it.key()).trimmed().toStdString());
        } catch (const std::exception&) {
            invalid.insert(it.key());
        }
    }
    const auto& help = settingHelp();
    for (auto it = m_editors.begin(); it != m_editors.end(); ++it) {
        const std::string key = it.key().toStdString();
        const QString reason = QString::fromStdString(settingUnusedReason(key, c));
        const bool used = reason.isEmpty() || invalid.contains(it.key());
        const auto h = help.find(key);
        QString tip = h != help.end() ? QString::fromStdString(h->second) : QString();
        if (!reason.isEmpty()) tip = tr("Not used now: %1.").arg(reason) + (tip.isEmpty() ? QString() : "\n\n" + tip);
        it.value()->setEnabled(used);
        it.value()->setToolTip(tip);
        QLabel* label = m_labels.value(it.key());
        label->setEnabled(used);
        label->setToolTip(tip);
    }
}

} // namespace ra::widgets
