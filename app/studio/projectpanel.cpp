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
#include <QPointer>
#include <QThread>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <numeric>

namespace ra::app {

namespace {
const QSize kThumbnailSize(40, 40);
// The strip shows one example per training class up to this many classes, spread evenly over
// the classes beyond it (ImageNet's 1,000 thumbnails would take a second to decode and no one
// scrolls through them in a strip).
constexpr size_t kMaxClassThumbnails = 48;
} // namespace

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
    m_thumbnails->setIconSize(kThumbnailSize);
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

namespace {

// What the panel shows of one dataset, read off the GUI thread.
struct DatasetListing {
    QString images, classes, imagesTip, error;
};
struct ProjectListing {
    QList<DatasetListing> sets; // in the order of datasetsOf
    QList<widgets::ImageGallery::Item> thumbnails;
};

// (name shown, path): the ID sets, then the OOD sets.
std::vector<std::pair<std::string, std::string>> datasetsOf(const Project& p)
{
    std::vector<std::pair<std::string, std::string>> sets;
    for (const auto& [name, path] : std::vector<std::pair<std::string, std::string>>{
             {"train (ID)", p.train}, {"val (ID)", p.val}, {"test (ID)", p.test}})
        if (!path.empty()) sets.emplace_back(name, path);
    for (const auto& [name, path] : p.ood) sets.emplace_back(name + " (OOD)", path);
    return sets;
}

// The images per class as a tooltip: every class where they fit on a screen; for many classes
// (ImageNet's 1,000) the range and the classes with fewest images, which are the ones to check.
QString classCountsTip(const ImageDataset& ds)
{
    const auto counts = ds.classCounts();
    auto line = [&](size_t c) {
        return QStringLiteral("%1: %2").arg(QString::fromStdString(ds.classNames[c])).arg(counts[c]);
    };
    QStringList lines;
    constexpr size_t kListed = 24;
    if (counts.size() <= kListed) {
        for (size_t c = 0; c < counts.size(); ++c) lines << line(c);
        return lines.join(QLatin1Char('\n'));
    }
    std::vector<size_t> order(counts.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return counts[a] < counts[b]; });
    lines << QObject::tr("%1 classes, %2 to %3 images each; the fewest:")
                 .arg(counts.size())
                 .arg(counts[order.front()])
                 .arg(counts[order.back()]);
    for (size_t i = 0; i < 8; ++i) lines << line(order[i]);
    return lines.join(QLatin1Char('\n'));
}

// Reads every dataset's listing (file names) and decodes the thumbnails. Never throws: a set that cannot
// be read carries its error.
ProjectListing listProject(const Project& p)
{
    ProjectListing out;
    for (const auto& [name, path] : datasetsOf(p)) {
        DatasetListing set;
        try {
            if (p.task == "retrieval") {
                const CaptionDataset ds = loadCaptionDataset(path);
                set.images = QString::number(ds.images.size());
                set.classes = QObject::tr("%1 captions").arg(ds.captions.size());
                for (size_t i = 0; i < ds.images.size() && out.thumbnails.size() < 12 && name.rfind("train", 0) == 0;
                     i += 97)
                    out.thumbnails.push_back(
                        {QString::fromStdString(ds.images[i]), QString(), QString::fromStdString(ds.captions[i])});
            } else {
                const ImageDataset ds = loadImageDataset(path);
                set.images = QString::number(ds.samples.size());
                set.classes = QString::number(ds.classNames.size());
                set.imagesTip = classCountsTip(ds);
                // Examples of the training classes and the middle example of each other set.
                if (name.rfind("train", 0) == 0) {
                    const size_t classes = ds.classNames.size();
                    const size_t shown = std::min(classes, kMaxClassThumbnails);
                    std::vector<bool> wanted(classes, false);
                    for (size_t i = 0; i < shown; ++i) wanted[i * classes / shown] = true;
                    for (const auto& s : ds.samples)
                        if (wanted[size_t(s.label)]) {
                            wanted[size_t(s.label)] = false;
                            out.thumbnails.push_back({QString::fromStdString(s.path), QString(),
                                                      QString::fromStdString(ds.classNames[size_t(s.label)])});
                        }
                } else if (!ds.samples.empty()) {
                    out.thumbnails.push_back({QString::fromStdString(ds.samples[ds.samples.size() / 2].path), QString(),
                                              QString::fromStdString(name)});
                }
            }
        } catch (const std::exception& e) {
            set.error = QString::fromStdString(ra::userMessage(e));
        }
        out.sets.push_back(set);
    }
    // Decoded here too, not on the GUI thread: a photo takes milliseconds.
    for (auto& thumbnail : out.thumbnails)
        thumbnail.image = widgets::ImageGallery::decodeThumbnail(thumbnail.path, kThumbnailSize);
    return out;
}

} // namespace

ProjectPanel::~ProjectPanel()
{
    for (const QPointer<QThread>& lister : m_listers)
        if (lister) lister->wait();
}

void ProjectPanel::setProject(const Project& p)
{
    m_title->setText(tr("<h3>%1</h3><small>%2 · %3</small>")
                         .arg(QString::fromStdString(p.name).toHtmlEscaped(), QString::fromStdString(p.task),
                              QFileInfo(QString::fromStdString(p.path)).fileName().toHtmlEscaped()));
    m_title->setToolTip(QString::fromStdString(p.path));
    m_datasets->clear();
    m_thumbnails->setItems({});
    for (const auto& [name, path] : datasetsOf(p)) {
        auto* item = new QTreeWidgetItem(m_datasets, {QString::fromStdString(name), tr("…")});
        item->setToolTip(0, QString::fromStdString(path));
    }
    // The listings are read in a worker thread: an ImageNet training folder holds 1.28 million
    // files, seconds of the GUI thread. A listing for a project opened since is dropped.
    const int generation = ++m_generation;
    m_listed = false;
    QPointer<ProjectPanel> self(this);
    QThread* lister = QThread::create([self, p, generation]() {
        const ProjectListing listing = listProject(p);
        QMetaObject::invokeMethod(
            self.data(),
            [self, listing, generation]() {
                if (!self || generation != self->m_generation) return;
                for (int i = 0; i < listing.sets.size() && i < self->m_datasets->topLevelItemCount(); ++i) {
                    QTreeWidgetItem* item = self->m_datasets->topLevelItem(i);
                    const DatasetListing& set = listing.sets[i];
                    item->setText(1, set.error.isEmpty() ? set.images : tr("error"));
                    item->setText(2, set.classes);
                    item->setToolTip(1, set.error.isEmpty() ? set.imagesTip : set.error);
                }
                self->m_thumbnails->setItems(listing.thumbnails);
                self->m_listed = true;
                Q_EMIT self->datasetsListed();
            },
            Qt::QueuedConnection);
    });
    connect(lister, &QThread::finished, lister, &QObject::deleteLater);
    m_listers.removeAll(nullptr); // those already finished and deleted
    m_listers.push_back(lister);
    lister->start();
}

void ProjectPanel::setModel(const ModelSummary& s) { m_model->setModel(s.path, s.layout, s.config); }

} // namespace ra::app
