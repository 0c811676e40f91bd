#include "warninglabel.h"

#include "colours.h"

#include <QEvent>

namespace ra::widgets {

WarningLabel::WarningLabel(QWidget* parent) : QLabel(parent) { recolour(); }

void WarningLabel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange && !m_recolouring) recolour();
    QLabel::changeEvent(event);
}

void WarningLabel::recolour()
{
    m_recolouring = true;
    QPalette p = palette();
    p.setColor(QPalette::WindowText, wrongColour(p));
    setPalette(p);
    m_recolouring = false;
}

} // namespace ra::widgets
