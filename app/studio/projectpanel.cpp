#include "studio/projectpanel.h"

#include "data/captions.h"
#include "data/dataset.h"
#include "imagegallery.h"
#include "modelsummarywidget.h"
#include "studio/modelloader.h"
#include "util/error.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ra::app {

ProjectPanel::ProjectPanel(QWidget* parent)
    : QWidget(parent), m_title(new QLabel), m_model(new widgets::ModelSummaryWidget), m_datasets(new QTreeWidget),
      m_thumbnails(new widgets::ImageGallery)
{
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_datasets->setHeaderLabels({tr("Dataset"), tr("Images"), tr("Classes")});
    m_datasets->setRootIsDecorated(false);
    m_datasets->header()->setStretchLastSection(false);
    // Names first: the counts take what their digits need, the name column the rest.
    m_datasets->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_datasets->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_datasets->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_thumbnails->setIconSize(QSize(40, 40));
    m_thumbnails->setGridSize(QSize(48, 48));
    m_thumbnails->setMaximumHeight(160);
    setMinimumWidth(300); // model file names and dataset names fit without wrapping
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(new QLabel(tr("<b>Model</b>")));
    layout->addWidget(m_model);
    layout->addWidget(new QLabel(tr("<b>Data</b>")));
    layout->addWidget(m_datasets, 1);
    layout->addWidget(m_thumbnails);
}

void ProjectPanel::setProject(const Project& p)
{
    m_title->setText(tr("<h3>%1</h3><small>%2 · %3</small>")
                         .arg(QString::fromStdString(p.name).toHtmlEscaped(), QString::fromStdString(p.task),
                              QFileInfo(QString::fromStdString(p.path)).fileName().toHtmlEscaped()));
    m_title->setToolTip(QString::fromStdString(p.path));
    m_datasets->clear();
    QList<widgets::ImageGallery::Item> thumbs;
    std::vector<std::pair<std::string, std::string>> sets = {
        {"train (ID)", p.train}, {"val (ID)", p.val}, {"test (ID)", p.test}};
    for (const auto& [name, path] : p.ood) sets.emplace_back(name + " (OOD)", path);
    for (const auto& [name, path] : sets) {
        if (path.empty()) continue;
        auto* item = new QTreeWidgetItem(m_datasets, {QString::fromStdString(name)});
        item->setToolTip(0, QString::fromStdString(path));
        try {
            if (p.task == "retrieval") {
                const CaptionDataset ds = loadCaptionDataset(path);
                item->setText(1, QString::number(ds.images.size()));
                item->setText(2, tr("%1 captions").arg(ds.captions.size()));
                for (size_t i = 0; i < ds.images.size() && thumbs.size() < 12 && name.rfind("train", 0) == 0; i += 97)
                    thumbs.push_back(
                        {QString::fromStdString(ds.images[i]), QString(), QString::fromStdString(ds.captions[i])});
            } else {
                const ImageDataset ds = loadImageDataset(path);
                item->setText(1, QString::number(ds.samples.size()));
                item->setText(2, QString::number(ds.classNames.size()));
                const auto counts = ds.classCounts();
                QStringList perClass;
                for (size_t c = 0; c < counts.size(); ++c)
                    perClass << QStringLiteral("%1: %2").arg(QString::fromStdString(ds.classNames[c])).arg(counts[c]);
                item->setToolTip(1, perClass.join(QLatin1Char('\n')));
                // One example per class from the training set and the first example of each other set.
                if (name.rfind("train", 0) == 0) {
                    std::vector<bool> seen(ds.classNames.size(), false);
                    for (const auto& s : ds.samples)
                        if (!seen[size_t(s.label)]) {
                            seen[size_t(s.label)] = true;
                            thumbs.push_back({QString::fromStdString(s.path), QString(),
                                              QString::fromStdString(ds.classNames[size_t(s.label)])});
                        }
                } else if (!ds.samples.empty()) {
                    thumbs.push_back({QString::fromStdString(ds.samples[ds.samples.size() / 2].path), QString(),
                                      QString::fromStdString(name)});
                }
            }
        } catch (const std::exception& e) {
            item->setText(1, tr("error"));
            item->setToolTip(1, QString::fromStdString(ra::userMessage(e)));
        }
    }
    m_thumbnails->setItems(thumbs);
}

void ProjectPanel::setModel(const ModelSummary& s) { m_model->setModel(s.path, s.layout, s.config); }

} // namespace ra::app
