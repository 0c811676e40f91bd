#pragma once
// The Studio's main window. For now: load a checkpoint and show its architecture.
#include <QMainWindow>

namespace ra::widgets { class ModelSummaryWidget; }

namespace ra::app {

class ModelLoader;
struct ModelSummary;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    void openCheckpoint(const QString& path);
    widgets::ModelSummaryWidget* modelSummary() const { return m_summary; }
    ModelLoader* modelLoader() const { return m_loader; }

private:
    void chooseCheckpoint();
    void chooseCheckpointFolder();
    void showAbout();

    widgets::ModelSummaryWidget* m_summary;
    ModelLoader* m_loader;
};

} // namespace ra::app
