// How quickly the Studio's alpha explorer can show exact numbers on the demo model. The Studio
// sweeps alpha over the slider's grid (0, 0.1, ..., 1.5) once after training, so a slider release
// shows exact accuracies by lookup; the per-example views (flips, confusion matrix) then need one
// evaluation of the ID validation set. This prints the time of each of those steps.
//
//   build/release/bin/alpha_slider_bench [PROJECT] [STEPS]
#include "project/project.h"
#include "train/trainingsession.h"
#include "util/runtime.h"

#include <chrono>
#include <cstdio>
#include <string>

using namespace ra;

int main(int argc, char** argv)
{
    try {
        const std::string path = argc > 1 ? argv[1] : RA_SOURCE_TREE "/projects/digits-shift/digits-shift.json";
        Project project = Project::load(path);
        project.config.steps = argc > 2 ? std::stoi(argv[2]) : 30;
        project.config.evalEvery = 0;
        setThreadCount(0);
        TrainingSession session(project);
        session.train({}, "", false);
        auto seconds = [](auto&& f) {
            const auto t0 = std::chrono::steady_clock::now();
            f();
            return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        };
        session.evaluate(0.5); // fills the preprocessed-image caches, as the Studio's first sweep does
        double sweep = 0, worstPoint = 0;
        for (int i = 0; i <= 15; ++i) {
            const double s = seconds([&] { session.evaluate(i / 10.0); });
            sweep += s;
            worstPoint = std::max(worstPoint, s);
        }
        double worstDetail = 0;
        for (double alpha : {0.3, 0.7, 1.2}) worstDetail = std::max(worstDetail, seconds([&] { session.evaluate(alpha, {session.idSetName()}); }));
        std::printf("threads %d\n", threadCount());
        std::printf("sweep of 16 alphas over every eval set (once, after training): %.2f s (worst point %.2f s)\n", sweep, worstPoint);
        std::printf("slider release -> exact accuracies of every set: lookup in the sweep, < 0.001 s\n");
        std::printf("slider release -> flips and confusion matrix (ID set only): %.3f s (worst of 3)\n", worstDetail);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "alpha_slider_bench: %s\n", e.what());
        return 1;
    }
}
