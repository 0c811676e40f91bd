#pragma once
// What the worker sends for Run ▸ Show Training Samples: the first samples of one training step as
// that step makes them (crops at the model's resolution, their classes and prompts). A small
// value type, so the dialog needs neither the worker nor libtorch.
#include <QImage>
#include <QMetaType>
#include <QStringList>
#include <QVector>

namespace ra::app {

struct TrainingSamplePreview {
    int step = 0;
    int resolution = 0;              // the crops' side in pixels (the model's input)
    double cropMin = 0, cropMax = 0; // the share of the image's area each crop keeps
    QVector<QImage> images;
    QStringList labels; // the class (or the caption's image) of each
    QStringList texts;  // the prompt drawn for each, or its caption; empty for image-only methods
    QStringList paths;  // the training image each was cut from
};

} // namespace ra::app

Q_DECLARE_METATYPE(ra::app::TrainingSamplePreview)
