// radapter-studio: the desktop application. Without a display it says so and runs headless.
#include "studio/mainwindow.h"
#include "util/runtime.h"

#include <QApplication>
#include <cstdio>
#include <cstdlib>
#include <cstring>

int main(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--version") == 0) {
            std::printf("radapter-studio %s\n", RA_VERSION);
            return 0;
        }
    }
    const bool hasDisplay = std::getenv("DISPLAY") || std::getenv("WAYLAND_DISPLAY") || std::getenv("QT_QPA_PLATFORM");
    if (!hasDisplay) {
        std::printf("radapter-studio: no display found, running headless.\n"
                    "The command-line interface covers the same core: try `radapter --help`.\n");
        return 0;
    }
    ra::setThreadCount(0);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("R-Adapter Studio"));
    QApplication::setOrganizationName(QStringLiteral("R-Adapter Studio"));
    QApplication::setApplicationVersion(QStringLiteral(RA_VERSION));
    ra::app::MainWindow window;
    window.show();
    if (argc > 1 && argv[argc - 1][0] != '-') window.openCheckpoint(QString::fromLocal8Bit(argv[argc - 1]));
    return app.exec();
}
