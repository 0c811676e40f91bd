#pragma once
// Writing a plot as an image for a slide or a paper: PNG (at twice the screen's resolution), SVG
// or PDF, chosen by the file's extension.
#include <QString>

class QCustomPlot;

namespace ra::widgets {

// False, with ERROR set to one sentence naming PATH, when the format is unknown, PATH is a file
// nothing may replace (a run store, a project: ra::checkSaveAsTarget) or cannot be written. The
// file is written beside PATH and renamed over it when complete.
bool exportPlot(QCustomPlot* plot, const QString& path, QString* error = nullptr);

} // namespace ra::widgets
