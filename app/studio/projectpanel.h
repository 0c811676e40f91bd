#pragma once
// The project and model panel: the project's name and file, the model's architecture and
// parameter counts, and every dataset (ID train/val/test and named OOD sets) with its image and
// class counts and a strip of thumbnails.
#include "project/project.h"

#include <QWidget>

class QLabel;
class QTreeWidget;

namespace ra::widgets {
class ModelSummaryWidget;
class ImageGallery;
} // namespace ra::widgets

namespace ra::app {

struct ModelSummary;

class ProjectPanel : public QWidget {
    Q_OBJECT
public:
    explicit ProjectPanel(QWidget* parent = nullptr);
    // Reads dataset listings (file names only, no decoding) and shows them.
    void setProject(const Project& project);
    void setModel(const ModelSummary& summary);
    widgets::ModelSummaryWidget* modelSummary() const { return m_model; }
    QTreeWidget* datasets() const { return m_datasets; }

private:
    QLabel* m_title;
    widgets::ModelSummaryWidget* m_model;
    QTreeWidget* m_datasets;
    widgets::ImageGallery* m_thumbnails;
};

} // namespace ra::app
