#include "plotexport.h"

#include "io/atomicfile.h"
#include "io/outputtarget.h"
#include "qcustomplotinclude.h"
#include "util/error.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSvgGenerator>

#include <cstdio>
#include <unistd.h>

namespace ra::widgets {

bool exportPlot(QCustomPlot* plot, const QString& path, QString* error)
{
    auto fail = [error](const QString& message) {
        if (error) *error = message;
        return false;
    };
    const QString ext = QFileInfo(path).suffix().toLower();
    if (ext != QLatin1String("png") && ext != QLatin1String("pdf") && ext != QLatin1String("svg"))
        return fail(
            QCoreApplication::translate("ra::widgets", "%1: unknown image format (use .png, .svg or .pdf).").arg(path));
    try {
        ra::checkSaveAsTarget(path.toStdString());
    } catch (const std::exception& e) {
        return fail(QString::fromStdString(ra::userMessage(e)));
    }
    // Drawn beside the target and renamed over it only when complete: a failed write (a full
    // disk) leaves the file it was to replace as it was.
    const QString temporary = path + QString::fromLatin1(ra::kTemporarySuffix) + QString::number(getpid());
    plot->replot();
    bool ok = false;
    if (ext == QLatin1String("png")) {
        ok = plot->savePng(temporary, 0, 0, 2.0);
    } else if (ext == QLatin1String("pdf")) {
        ok = plot->savePdf(temporary);
    } else {
        QSvgGenerator generator;
        generator.setFileName(temporary);
        generator.setSize(plot->size());
        generator.setViewBox(plot->rect());
        QCPPainter painter;
        ok = painter.begin(&generator);
        if (ok) {
            plot->toPainter(&painter, plot->width(), plot->height());
            ok = painter.end();
        }
    }
    if (ok) ok = std::rename(QFile::encodeName(temporary).constData(), QFile::encodeName(path).constData()) == 0;
    if (!ok) {
        QFile::remove(temporary);
        return fail(QCoreApplication::translate("ra::widgets", "%1: could not write the file.").arg(path));
    }
    return true;
}

} // namespace ra::widgets
