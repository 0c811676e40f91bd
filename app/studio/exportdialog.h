#pragma once
// Export options: merged model at alpha in OpenAI (.safetensors) or Hugging Face (folder) layout,
// or the adapter-only file. An existing destination is replaced only when the user confirmed it.
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
    QString layout() const; // "openai" or "hf"
    QString path() const;
    bool adaptersOnly() const;

private:
    QDoubleSpinBox* m_alpha;
    QComboBox* m_kind;
    QLineEdit* m_path;
    QString m_confirmed; // a path the file dialog already asked to replace
    // Accepts unless the destination exists and the user, asked once, keeps it. The export
    // itself then replaces only what was confirmed (the run's own inputs never: outputtarget.h).
    void acceptIfConfirmed();
};

} // namespace ra::app
