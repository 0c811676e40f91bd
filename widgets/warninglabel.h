#pragma once
// A label for a refusal or an error, in the wrong-prediction red that reads on the palette it is
// shown on (dark red on light, light red on dark), following the palette when it changes: a fixed
// dark red disappeared on the dark theme.
#include <QLabel>

namespace ra::widgets {

class WarningLabel : public QLabel {
    Q_OBJECT
public:
    explicit WarningLabel(QWidget* parent = nullptr);

protected:
    void changeEvent(QEvent* event) override;

private:
    void recolour();
    bool m_recolouring = false; // recolour() changes the palette, which is a palette change too
};

} // namespace ra::widgets
