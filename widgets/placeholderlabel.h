#pragma once
// A sentence shown where a table or pane has nothing yet (what to select, what a run will put
// there), in the palette's placeholder colour, centred and wrapped: an empty white box tells a
// user nothing.
#include <QLabel>

namespace ra::widgets {

class PlaceholderLabel : public QLabel {
    Q_OBJECT
public:
    explicit PlaceholderLabel(const QString& text = QString(), QWidget* parent = nullptr);
};

} // namespace ra::widgets
