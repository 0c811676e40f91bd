#pragma once
// A grid of example images with captions (e.g. "7 -> 1" when a prediction changes as alpha moves).
#include <QListWidget>

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
};

} // namespace ra::widgets
