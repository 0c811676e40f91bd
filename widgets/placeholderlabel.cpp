#include "placeholderlabel.h"

namespace ra::widgets {

PlaceholderLabel::PlaceholderLabel(const QString& text, QWidget* parent) : QLabel(text, parent)
{
    setWordWrap(true);
    setAlignment(Qt::AlignCenter);
    setForegroundRole(QPalette::PlaceholderText);
    setMargin(12);
}

} // namespace ra::widgets
