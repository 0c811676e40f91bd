#include "imagegallery.h"

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

QPixmap ImageGallery::thumbnail(const QString& path)
{
    if (const auto it = m_thumbnails.constFind(path); it != m_thumbnails.constEnd()) return *it;
    // Decoded at icon size where the format can (JPEG scales while it decodes): a photo's full
    // size took milliseconds each, and the alpha slider redraws up to 60 of them per move.
    QImageReader reader(path);
    const QSize full = reader.size();
    if (full.isValid() && (full.width() > iconSize().width() || full.height() > iconSize().height()))
        reader.setScaledSize(full.scaled(iconSize(), Qt::KeepAspectRatio));
    const QImage image = reader.read();
    const QPixmap pixmap = QPixmap::fromImage(
        image.size() == iconSize() || image.isNull()
            ? image
            : image.scaled(iconSize(), Qt::KeepAspectRatio, Qt::FastTransformation));
    if (m_thumbnails.size() >= 4096) m_thumbnails.clear(); // bounded: an evaluation set's worth
    m_thumbnails.insert(path, pixmap);
    return pixmap;
}

void ImageGallery::setItems(const QList<Item>& items)
{
    clear();
    for (const Item& it : items) {
        auto* item = new QListWidgetItem(QIcon(thumbnail(it.path)), it.caption, this);
        item->setToolTip(it.tooltip.isEmpty() ? it.path : it.tooltip);
        if (it.highlight) item->setForeground(QColor(176, 0, 32));
    }
}

} // namespace ra::widgets
