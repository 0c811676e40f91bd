#pragma once
// A grid of example images with captions (e.g. "7 -> 1" when a prediction changes as alpha moves).
#include <QHash>
#include <QImage>
#include <QListWidget>
#include <QPixmap>

namespace ra::widgets {

class ImageGallery : public QListWidget {
    Q_OBJECT
public:
    explicit ImageGallery(QWidget* parent = nullptr);
    struct Item {
        QString path;
        QString caption;
        QString tooltip;
        bool highlight = false;
        QImage image; // decoded already (in a worker thread); when null, decoded from path here
    };
    void setItems(const QList<Item>& items);

    // The image at PATH scaled to fit SIZE, decoded at that size where the format can (JPEG
    // scales while it decodes); null if it cannot be read. Safe in any thread.
    static QImage decodeThumbnail(const QString& path, QSize size);

private:
    // The image at PATH at icon size, decoded once (the same examples recur as alpha moves).
    QPixmap thumbnail(const QString& path);
    QHash<QString, QPixmap> m_thumbnails;
};

} // namespace ra::widgets
