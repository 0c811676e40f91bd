#pragma once
// Run ▸ Show Training Samples: the first samples of a training step exactly as the step makes
// them — each random crop at the model's resolution and the prompt drawn for it — so a user sees
// what crop_min and crop_max and the prompt templates do before training; "Next Step" shows the
// step after.
#include "studio/trainingsamplepreview.h"

#include <QDialog>

class QLabel;
class QPushButton;

namespace ra::widgets {
class ImageGallery;
}

namespace ra::app {

class TrainingSamplesDialog : public QDialog {
    Q_OBJECT
public:
    explicit TrainingSamplesDialog(QWidget* parent = nullptr);
    void setPreview(const TrainingSamplePreview& preview);
    void showWaiting(int step); // while the worker makes STEP's samples
    void showFailure(const QString& message);
    widgets::ImageGallery* gallery() const { return m_gallery; }
    int step() const { return m_step; }

Q_SIGNALS:
    void stepRequested(int step);

private:
    QLabel* m_summary;
    widgets::ImageGallery* m_gallery;
    QPushButton* m_next;
    int m_step = 0;
};

} // namespace ra::app
