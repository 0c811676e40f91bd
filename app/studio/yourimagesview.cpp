#include "studio/yourimagesview.h"

#include "imagegallery.h"
#include "colours.h"

#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImageReader>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>

namespace ra::app {
namespace {
const QSize kIconSize(48, 48);
}

YourImagesView::YourImagesView(QWidget* parent)
    : QWidget(parent), m_table(new QTableWidget(0, 1)),
      m_hintText(tr("Add images, or drop image files here: the run classifies them at α = 0 (zero-shot), at the "
                    "slider's α and at α = 1.")),
      m_hint(new QLabel(m_hintText))
{
    setAcceptDrops(true);
    m_hint->setWordWrap(true);
    m_table->setHorizontalHeaderLabels({tr("Image")});
    m_table->setIconSize(kIconSize);
    m_table->verticalHeader()->setDefaultSectionSize(kIconSize.height() + 6);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->horizontalHeader()->setMinimumSectionSize(kIconSize.width() + 40);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    auto* add = new QPushButton(tr("Add Images…"));
    auto* clearButton = new QPushButton(tr("Clear"));
    connect(add, &QPushButton::clicked, this, [this] {
        addImages(
            QFileDialog::getOpenFileNames(this, tr("Images to classify"), QString(),
                                          tr("Images (*.png *.jpg *.jpeg *.bmp *.ppm *.pgm *.webp);;All files (*)")));
    });
    connect(clearButton, &QPushButton::clicked, this, &YourImagesView::clear);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_hint, 1);
    buttons->addWidget(add);
    buttons->addWidget(clearButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(m_table, 1);
}

YourImagesView::~YourImagesView()
{
    for (const QPointer<QThread>& decoder : m_decoders)
        if (decoder) decoder->wait();
}

void YourImagesView::addImages(const QStringList& paths)
{
    QStringList added;
    QStringList unreadable;
    for (const QString& path : paths) {
        const QString absolute = QFileInfo(path).absoluteFilePath();
        if (path.isEmpty() || m_paths.contains(absolute)) continue;
        if (QImageReader(absolute).size().isEmpty()) { // not an image Qt can read: never sent to the run
            unreadable << QFileInfo(absolute).fileName();
            continue;
        }
        m_paths << absolute;
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        // With its folder: in a labelled set that is the true class ("seven/00210.png").
        auto* item = new QTableWidgetItem(QFileInfo(absolute).dir().dirName() + QLatin1Char('/') +
                                          QFileInfo(absolute).fileName());
        item->setToolTip(absolute);
        m_table->setItem(row, 0, item);
        added << absolute;
    }
    decodeThumbnails(added);
    m_hint->setText(unreadable.isEmpty()
                        ? m_hintText
                        : tr("Not images, or not readable: %1").arg(unreadable.join(QStringLiteral(", "))));
    if (!added.isEmpty()) Q_EMIT imagesChanged(m_paths);
}

void YourImagesView::decodeThumbnails(const QStringList& paths)
{
    if (paths.isEmpty()) return;
    const int generation = m_generation;
    QPointer<YourImagesView> self(this);
    QThread* decoder = QThread::create([self, paths, generation] {
        for (const QString& path : paths) {
            const QImage thumbnail = widgets::ImageGallery::decodeThumbnail(path, kIconSize);
            QMetaObject::invokeMethod(
                self.data(),
                [self, path, thumbnail, generation] {
                    if (!self || generation != self->m_generation) return; // cleared since
                    const int row = int(self->m_paths.indexOf(path));
                    if (QTableWidgetItem* item = row >= 0 ? self->m_table->item(row, 0) : nullptr)
                        item->setIcon(QIcon(QPixmap::fromImage(thumbnail)));
                },
                Qt::QueuedConnection);
        }
    });
    connect(decoder, &QThread::finished, decoder, &QObject::deleteLater);
    m_decoders.removeAll(nullptr); // those already finished and deleted
    m_decoders.push_back(decoder);
    decoder->start();
}

void YourImagesView::clear()
{
    ++m_generation;
    m_paths.clear();
    m_table->setRowCount(0);
    m_table->setColumnCount(1);
}

void YourImagesView::setPredictions(const ImagePredictions& p)
{
    if (p.paths != m_paths) return; // about a list since changed
    m_table->setColumnCount(1 + p.alphas.size());
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents); // the file's name
    QStringList headers{tr("Image")};
    for (double a : p.alphas)
        headers << (a == 0 ? tr("zero-shot (α=0)") : a == 1 ? tr("trained (α=1)") : tr("α = %1").arg(a, 0, 'f', 2));
    m_table->setHorizontalHeaderLabels(headers);
    auto name = [&](int label) { return label >= 0 && label < p.classNames.size() ? p.classNames[label] : QString(); };
    for (int a = 0; a < p.alphas.size(); ++a)
        for (int i = 0; i < p.paths.size() && i < p.guesses[a].size(); ++i) {
            const auto& guesses = p.guesses[a][i];
            if (guesses.isEmpty()) continue;
            auto* item = new QTableWidgetItem(
                QStringLiteral("%1  %2 %").arg(name(guesses[0].label)).arg(100.0 * guesses[0].probability, 0, 'f', 1));
            QStringList tip;
            for (const auto& g : guesses)
                tip << QStringLiteral("%1: %2 %").arg(name(g.label)).arg(100.0 * g.probability, 0, 'f', 1);
            item->setToolTip(tip.join(QLatin1Char('\n')));
            // A prediction that differs from zero-shot's: what the adaptation changed.
            if (a > 0 && !p.guesses[0][i].isEmpty() && p.guesses[0][i][0].label != guesses[0].label) {
                QFont bold = item->font();
                bold.setBold(true);
                item->setFont(bold);
                item->setForeground(widgets::wrongColour(palette()));
            }
            m_table->setItem(i, 1 + a, item);
        }
}

void YourImagesView::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void YourImagesView::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isFile()) paths << url.toLocalFile();
    addImages(paths);
    event->acceptProposedAction();
}

} // namespace ra::app
