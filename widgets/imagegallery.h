#pragma once
// A grid of example images with captions (e.g. "7 -> 1" when a prediction changes as alpha moves).
#include <QHash>
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
    };
    void setItems(const QList<Item>& items);

private:
    // The image at PATH at icon size, decoded once (the same examples recur as alpha moves).
    QPixmap thumbnail(const QString& path);
    QHash<QString, QPixmap> m_thumbnails;
};

} // namespace ra::widgets
