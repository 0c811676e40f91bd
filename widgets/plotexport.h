#pragma once
// Writing a plot as an image for a slide or a paper: PNG (at twice the screen's resolution), SVG
// or PDF, chosen by the file's extension.
#include <QString>

class QCustomPlot;

namespace ra::widgets {

// False, with ERROR set to one sentence naming PATH, when the format is unknown or the file
// cannot be written.
bool exportPlot(QCustomPlot* plot, const QString& path, QString* error = nullptr);

} // namespace ra::widgets
