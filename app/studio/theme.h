#pragma once
// View ▸ Dark Theme: the whole Studio in a dark palette, its plots with it (they follow the
// palette); off, the palette the desktop gave the application at start.
class QPalette;

namespace ra::app {

// Fusion's colour roles for dark surfaces: light text on dark grey, the selection in blue.
QPalette darkPalette();
// Applies the dark palette, or the desktop's own.
void setDarkTheme(bool dark);

} // namespace ra::app
