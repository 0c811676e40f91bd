#pragma once
// The project and model panel: the project's name and file, the model's architecture and
// parameter counts, and every dataset (ID train/val/test and named OOD sets) with its image and
// class counts and a strip of thumbnails.
#include "project/project.h"

#include <QPointer>
#include <QThread>
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
    ~ProjectPanel() override; // waits for a listing in progress
    // Shows the project's datasets at once and their image and class counts and thumbnails when
    // a worker thread has read the listings and decoded the thumbnails: datasetsListed().
    void setProject(const Project& project);
    bool datasetsAreListed() const { return m_listed; }
    void setModel(const ModelSummary& summary);
    widgets::ModelSummaryWidget* modelSummary() const { return m_model; }
    QTreeWidget* datasets() const { return m_datasets; }
    widgets::ImageGallery* thumbnails() const { return m_thumbnails; }

Q_SIGNALS:
    void datasetsListed();

private:
    QLabel* m_title;
    widgets::ModelSummaryWidget* m_model;
    QTreeWidget* m_datasets;
    widgets::ImageGallery* m_thumbnails;
    QList<QPointer<QThread>> m_listers; // listings' threads, while they run
    int m_generation = 0;               // which setProject a listing belongs to
    bool m_listed = false;
};

} // namespace ra::app
