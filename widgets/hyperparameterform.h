#pragma once
// The hyper-parameter panel: one editor per TrainConfig setting, each with a tooltip (what it
// does and its formula, from core's settingHelp), values checked by TrainConfig::applySetting so
// an invalid value is refused with core's reason. A setting the chosen method and settings do not
// use is greyed out, its tooltip saying why (core's settingUnusedReason) -- unless its value is
// invalid, which must stay editable since it still stops the run.
#include "config/trainconfig.h"

#include <QMap>
#include <QWidget>

class QFormLayout;
class QLabel;

namespace ra::widgets {

class HyperParameterForm : public QWidget {
    Q_OBJECT
public:
    explicit HyperParameterForm(QWidget* parent = nullptr);

    void setConfig(const TrainConfig& config);
    // The edited configuration; on an invalid value returns false and sets ERROR to the reason.
    bool config(TrainConfig* out, QString* error) const;
    // Sets one editor's text (for tests and presets).
    void setValue(const QString& key, const QString& value);
    QString value(const QString& key) const;
    QWidget* editor(const QString& key) const { return m_editors.value(key); }

Q_SIGNALS:
    void changed();

private:
    QFormLayout* m_form;
    QLabel* m_status;
    QMap<QString, QWidget*> m_editors;
    QMap<QString, QLabel*> m_labels;
    TrainConfig m_base;
    void validate();
    void greyOutUnused();
};

} // namespace ra::widgets
