#pragma once
// File > New Project: name, task, CLIP checkpoint, ID train/val/test data and any number of
// named OOD sets, written as a project file. The file is checked by loading it back (every path
// must exist, the settings must be valid) before it replaces anything on disk.
#include <QDialog>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace ra::app {

class NewProjectDialog : public QDialog {
    Q_OBJECT
public:
    // MODEL: the checkpoint to start from (the demo model, or the last one opened).
    explicit NewProjectDialog(const QString& model, QWidget* parent = nullptr);

    // The written project file, once accepted.
    QString projectPath() const { return m_written; }
    // Adds an OOD row (also what the Add button does after its folder dialog).
    void addOodSet(const QString& name, const QString& path);
    // Writes and checks the project; on failure shows the reason and returns false. Accept calls it.
    bool writeProject();

    void accept() override;

private:
    QLineEdit* pathRow(const QString& objectName, const QString& label, bool directory, const QString& filter);
    QString browse(bool directory, const QString& filter);

    QLineEdit* m_name;
    QComboBox* m_task;
    QComboBox* m_templates;
    QLineEdit* m_file;
    QLineEdit* m_model = nullptr;
    QLineEdit* m_train = nullptr;
    QLineEdit* m_val = nullptr;
    QLineEdit* m_test = nullptr;
    QTableWidget* m_ood;
    QLabel* m_error;
    QFormLayout* m_form;
    QString m_written;
};

} // namespace ra::app
