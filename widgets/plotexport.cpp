#include "plotexport.h"

#include "qcustomplotinclude.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSvgGenerator>

namespace ra::widgets {

bool exportPlot(QCustomPlot* plot, const QString& path, QString* error)
{
    const QString ext = QFileInfo(path).suffix().toLower();
    plot->replot();
    bool ok = false;
    if (ext == QLatin1String("png")) {
        ok = plot->savePng(path, 0, 0, 2.0);
    } else if (ext == QLatin1String("pdf")) {
        ok = plot->savePdf(path);
    } else if (ext == QLatin1String("svg")) {
        QSvgGenerator generator;
        generator.setFileName(path);
        generator.setSize(plot->size());
        generator.setViewBox(plot->rect());
        QCPPainter painter;
        ok = painter.begin(&generator);
        if (ok) {
            plot->toPainter(&painter, plot->width(), plot->height());
            painter.end();
        }
    } else {
        if (error)
            *error = QCoreApplication::translate("ra::widgets", "%1: unknown image format (use .png, .svg or .pdf).")
                         .arg(path);
        return false;
    }
    if (!ok && error) *error = QCoreApplication::translate("ra::widgets", "%1: could not write the file.").arg(path);
    return ok;
}

} // namespace ra::widgets
