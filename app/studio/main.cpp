// radapter-studio: the desktop application. Without a display it says so and runs the demo
// headless (the same table as `radapter demo`).
#include "platform/processenvironment.h"
#include "studio/mainwindow.h"
#include "studio/screenshottour.h"
#include "studio/stopsignals.h"
#include "util/runtime.h"

#include <QApplication>
#include <QSettings>
#include <QTemporaryDir>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <cstring>

int main(int argc, char** argv)
{
    ra::prepareProcessEnvironment(argv); // may re-execute once; before any libtorch call
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--version") == 0) {
            std::printf("radapter-studio %s\n", RA_VERSION);
            return 0;
        }
        // Before the display check: without a display, anything else runs the demo.
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            std::printf("usage: radapter-studio [PROJECT.json]    open the Studio (on the project; else the last one,\n"
                        "                                         or the demo project on first start)\n"
                        "       radapter-studio --screenshots DIR  the README's screenshot tour, then quit\n"
                        "       radapter-studio --version\n"
                        "Without a display it runs `radapter demo` instead. The run store is $RADAPTER_DB or\n"
                        "~/.local/share/radapter-studio/runs.sqlite; `radapter --help` lists the command line.\n");
            return 0;
        }
    }
    const bool hasDisplay = std::getenv("DISPLAY") || std::getenv("WAYLAND_DISPLAY") || std::getenv("QT_QPA_PLATFORM");
    if (!hasDisplay) {
        std::printf("radapter-studio: no display found, running the demo headless (`radapter demo`).\n");
        std::fflush(stdout);
        const std::string cli = std::string(argv[0]).substr(0, std::string(argv[0]).rfind('/') + 1) + "radapter";
        return std::system((cli + " demo").c_str()) == 0 ? 0 : 1;
    }
    ra::setThreadCount(0);
    QApplication app(argc, argv);
    // QApplication set the C library's locale from the desktop's (setlocale(LC_ALL, "")); under a
    // German or French one its decimal point is a comma, and a C library that reads or writes a
    // number (libtorch's, oneDNN's, OpenCV's) would then disagree with every file. Qt's own number
    // display follows QLocale, which this does not touch (Qt's documentation advises exactly this).
    // Our core reads and writes numbers the same under any locale (util/numbertext.h, tst_locale).
    std::setlocale(LC_NUMERIC, "C");
    QApplication::setApplicationName(QStringLiteral("R-Adapter Studio"));
    QApplication::setOrganizationName(QStringLiteral("R-Adapter Studio"));
    QApplication::setApplicationVersion(QStringLiteral(RA_VERSION));
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--screenshots") == 0) {
            // A fresh, temporary run store so the pictures show exactly this tour's runs.
            const QString dir = QString::fromLocal8Bit(argv[i + 1]);
            QTemporaryDir store;
            auto* window = new ra::app::MainWindow(store.path() + QStringLiteral("/tour-runs.sqlite"));
            window->resize(1500, 920);
            window->show();
            auto* tour = new ra::app::ScreenshotTour(window, dir, 150); // the demo project's steps
            tour->start();
            const int rc = app.exec();
            delete window;
            return rc;
        }
    }
    ra::app::MainWindow window;
    window.show();
    const ra::app::CloseOnStopSignals stopSignals(&window); // Ctrl-C, kill: closed as by its close button
    QSettings settings;
    if (argc > 1 && argv[argc - 1][0] != '-') {
        window.openProject(QString::fromLocal8Bit(argv[argc - 1]));
    } else if (!settings.value(QStringLiteral("session/firstStartDone")).toBool()) {
        window.openDemoProject(); // the demo project opens on first start
        settings.setValue(QStringLiteral("session/firstStartDone"), true);
    } else {
        const QStringList recent = settings.value(QStringLiteral("session/recentProjects")).toStringList();
        if (!recent.isEmpty()) window.openProject(recent.first());
        else window.openDemoProject();
    }
    return app.exec();
}
