#include "imagegallery.h"
#include "colours.h"

#include <QImageReader>

namespace ra::widgets {

ImageGallery::ImageGallery(QWidget* parent) : QListWidget(parent)
{
    setViewMode(QListView::IconMode);
    setIconSize(QSize(64, 64));
    setGridSize(QSize(92, 96));
    setResizeMode(QListView::Adjust);
    setMovement(QListView::Static);
    setUniformItemSizes(true);
    setSelectionMode(QAbstractItemView::NoSelection);
}

QImage ImageGallery::decodeThumbnail(const QString& path, QSize size)
{
    QImageReader reader(path);
    const QSize full = reader.size();
    if (full.isValid() && (full.width() > size.width() || full.height() > size.height()))
        reader.setScaledSize(full.scaled(size, Qt::KeepAspectRatio));
    const QImage image = reader.read();
    // Formats that cannot scale while decoding, and small images (32 px digits), are scaled here.
    if (image.isNull() || image.size() == size) return image;
    return image.scaled(size, Qt::KeepAspectRatio, Qt::FastTransformation);
}

QPixmap ImageGallery::thumbnail(const QString& path)
{
    if (const auto it = m_thumbnails.constFind(path); it != m_thumbnails.constEnd()) return *it;
    // A photo at full size took milliseconds, and the alpha slider redraws up to 60 per move.
    const QPixmap pixmap = QPixmap::fromImage(decodeThumbnail(path, iconSize()));
    if (m_thumbnails.size() >= 4096) m_thumbnails.clear(); // bounded: an evaluation set's worth
    m_thumbnails.insert(path, pixmap);
    return pixmap;
}

void ImageGallery::setItems(const QList<Item>& items)
{
    clear();
    for (const Item& it : items) {
        const QPixmap pixmap = it.image.isNull() ? thumbnail(it.path) : QPixmap::fromImage(it.image);
        auto* item = new QListWidgetItem(QIcon(pixmap), it.caption, this);
        item->setToolTip(it.tooltip.isEmpty() ? it.path : it.tooltip);
        if (it.highlight) item->setForeground(wrongColour(palette()));
    }
}

} // namespace ra::widgets
