// How the real Studio feels on the demo model, measured through its own widgets and worker
// thread (offscreen when there is no display):
//  1. GUI responsiveness while training runs at full CPU: a 10 ms timer on the GUI thread and
//     the longest gap between its ticks (a frozen window shows up as a long gap).
//  2. The alpha sweep the Studio runs after training (every eval set at alpha 0, 0.1, ..., 1.5).
//  3. Slider release -> exact numbers: the accuracy table (exact from the sweep) and the flips
//     and confusion matrix (one evaluation of the ID set in the worker), timed from the release
//     until the widgets show the new alpha.
//
//   build/release/bin/alpha_slider_bench [STEPS]     (default 100 training steps)
#include "hyperparameterform.h"
#include "studio/alphaexplorer.h"
#include "studio/mainwindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSlider>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace ra::app;

namespace {

// Runs the event loop until DONE or TIMEOUT_MS; returns whether DONE became true. It sleeps in
// the event loop between 2 ms checks: a busy processEvents() loop would take a core from
// libtorch's OpenMP threads, whose spin-waiting then slows training tenfold.
bool waitFor(const std::function<bool()>& done, int timeoutMs)
{
    if (done()) return true;
    QElapsedTimer t;
    t.start();
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(2);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done() || t.elapsed() > timeoutMs) loop.quit();
    });
    poll.start();
    loop.exec();
    return done();
}

double percentile(std::vector<double> v, double q)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(q * double(v.size())))];
}

} // namespace

int main(int argc, char** argv)
{
    if (!qEnvironmentVariableIsSet("DISPLAY") && !qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("RA_STUDIO_NO_DIALOGS", "1");
    QApplication app(argc, argv);
    const int steps = argc > 1 ? std::max(1, std::atoi(argv[1])) : 100;
    QTemporaryDir dir;
    MainWindow window(dir.path() + QStringLiteral("/runs.sqlite"));
    window.resize(1400, 860);
    window.show();
    bool opened = false;
    QObject::connect(&window, &MainWindow::projectOpened, [&] { opened = true; });
    window.openDemoProject();
    if (!waitFor([&] { return opened; }, 300000)) {
        std::fprintf(stderr, "alpha_slider_bench: the demo project did not open\n");
        return 1;
    }
    window.hyperParameters()->setValue(QStringLiteral("steps"), QString::number(steps));
    window.hyperParameters()->setValue(QStringLiteral("threads"), QStringLiteral("0"));

    // 1. Responsiveness during training.
    bool finished = false, swept = false;
    QObject::connect(window.worker(), &TrainingWorker::trainingFinished, [&] { finished = true; });
    QObject::connect(window.worker(), &TrainingWorker::sweepReady, [&] { swept = true; });
    std::vector<double> gaps;
    QElapsedTimer tick;
    QTimer heartbeat;
    heartbeat.setInterval(10);
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        gaps.push_back(double(tick.nsecsElapsed()) / 1e6);
        tick.restart();
    });
    QElapsedTimer trainTime;
    trainTime.start();
    window.startTraining();
    tick.start();
    heartbeat.start();
    if (!waitFor([&] { return finished; }, 1800000)) return 1;
    heartbeat.stop();
    const double trainSeconds = double(trainTime.elapsed()) / 1000;

    // 2. The sweep that follows training.
    QElapsedTimer sweepTime;
    sweepTime.start();
    if (!waitFor([&] { return swept; }, 600000)) return 1;
    const double sweepSeconds = double(sweepTime.elapsed()) / 1000;
    AlphaExplorer* explorer = window.alphaExplorer();
    window.tabs()->setCurrentIndex(1);
    waitFor([&] { return explorer->hasDetail(); }, 60000);

    // 3. Slider releases.
    std::printf("R-Adapter Studio on the demo model (%d training steps, %d threads)\n", steps,
                QThread::idealThreadCount());
    std::printf("GUI event loop while training (%.0f s): %zu ticks of a 10 ms timer, longest gap %.0f ms, 99th "
                "percentile %.0f ms\n",
                trainSeconds, gaps.size(), percentile(gaps, 1.0), percentile(gaps, 0.99));
    std::printf("alpha sweep after training (16 alphas x every eval set): %.2f s\n", sweepSeconds);
    double worstTable = 0, worstDetail = 0;
    // Timed from the moment the slider moves (a drag that ends in a release) until the widgets
    // hold the new alpha's numbers and the window has repainted.
    for (int value : {3, 12, 7, 10, 0, 15, 5, 9}) {
        QSlider* s = explorer->slider();
        QElapsedTimer t;
        t.start();
        s->setSliderDown(true);
        s->setValue(value);
        s->setSliderDown(false); // emits sliderReleased, as a mouse release does
        bool exact = false;
        explorer->shownAccuracy(QStringLiteral("inverted"), &exact);
        const double table = double(t.nsecsElapsed()) / 1e9;
        if (!exact) std::printf("  alpha %.1f: the table was not exact at release\n", value / 10.0);
        if (!waitFor([&] { return explorer->hasDetail(); }, 60000)) return 1;
        window.repaint();
        const double detail = double(t.nsecsElapsed()) / 1e9;
        std::printf("  move + release to alpha %.1f: accuracy table exact after %.4f s, every view updated and "
                    "repainted after %.3f s\n",
                    value / 10.0, table, detail);
        worstTable = std::max(worstTable, table);
        worstDetail = std::max(worstDetail, detail);
    }
    std::printf(
        "slider release -> exact accuracies: worst %.4f s; -> every view repainted: worst %.3f s (bar: 0.3 s)\n",
        worstTable, worstDetail);
    return 0;
}
