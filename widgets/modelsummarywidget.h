#pragma once
// Shows a CLIP model's architecture and parameter counts as a two-column form.
#include "clip/clipconfig.h"

#include <QWidget>

class QFormLayout;
class QLabel;

namespace ra::widgets {

class ModelSummaryWidget : public QWidget {
    Q_OBJECT
public:
    explicit ModelSummaryWidget(QWidget* parent = nullptr);
    void setModel(const QString& source, const QString& layout, const ClipConfig& config);
    void clear();
    // The text currently shown for ROW's label (for tests and accessibility).
    QString valueText(const QString& row) const;

private:
    QFormLayout* m_form;
    QMap<QString, QLabel*> m_values;
};

} // namespace ra::widgets
