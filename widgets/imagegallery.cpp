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

void ImageGallery::setItems(const QList<Item>& items)
{
    clear();
    for (const Item& it : items) {
        QImageReader reader(it.path);
        const QImage image = reader.read();
        QPixmap pixmap = QPixmap::fromImage(image.scaled(iconSize(), Qt::KeepAspectRatio, Qt::FastTransformation));
        auto* item = new QListWidgetItem(QIcon(pixmap), it.caption, this);
        item->setToolTip(it.tooltip.isEmpty() ? it.path : it.tooltip);
        if (it.highlight) item->setForeground(QColor(176, 0, 32));
    }
}

} // namespace ra::widgets
