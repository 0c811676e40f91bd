#pragma once
// Export options: merged model at alpha in OpenAI (.safetensors) or Hugging Face (folder) layout,
// or the adapter-only file.
#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;

namespace ra::app {

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    ExportDialog(double alpha, QWidget* parent = nullptr);
    double alpha() const;
    QString layout() const;   // "openai" or "hf"
    QString path() const;
    bool adaptersOnly() const;

private:
    QDoubleSpinBox* m_alpha;
    QComboBox* m_kind;
    QLineEdit* m_path;
};

} // namespace ra::app
