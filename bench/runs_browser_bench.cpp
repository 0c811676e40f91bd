// How the runs browser holds up with many runs (the trackers' most common complaint: a run table
// and plots that stall at hundreds of runs), through its real widgets offscreen:
//  1. A store of RUNS runs like the demo's: 150 steps (loss and learning rate each step), the ID
//     and five OOD sets evaluated every 50 steps and at the end, a 16-alpha sweep; settings drawn
//     as a random search would (learning rate, dropping probability), tags on some.
//  2. Opening the browser on it, refreshing, filtering by a tag, selecting 10 runs (their ID
//     curves and parameter diff) and all of them, and drawing the Scatter and Parallel views of
//     every run; hover on the parallel view (the nearest of every run's lines, on each mouse move).
//
//   build/release/bin/runs_browser_bench [RUNS]     (default 1000)
#include "parallelcoordinatesview.h"
#include "qcustomplotinclude.h"
#include "store/runstore.h"
#include "studio/runsbrowser.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QMouseEvent>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>

#include <sqlite3.h>

#include <cstdio>
#include <string>

using namespace ra;

namespace {

// Run 1 as the demo's R-Adapter run stores it.
void recordTemplateRun(RunStore& store)
{
    const std::vector<std::string> oods = {"clutter-colour", "outline-sketch", "pose-framing", "printed-unseen",
                                           "uci-8x8"};
    std::map<std::string, std::string> params = {{"method", "radapter"}, {"steps", "150"},       {"batch", "64"},
                                                 {"lr", "0.003"},        {"p", "0.2"},           {"ema", "0.99"},
                                                 {"seed", "0"},          {"eval_every", "50"},   {"eval_alpha", "0.5"},
                                                 {"set/val", "id-val"},  {"set/test", "id-test"}};
    for (const auto& set : oods) params["set/" + set] = "ood";
    RunRecord record;
    record.method = "radapter";
    record.name = "template";
    const int64_t id = store.createRun(record, params);
    for (int step = 1; step <= 150; ++step) {
        std::map<std::string, double> values = {{"loss", 3.0 / (1 + 0.05 * step)}, {"lr", 0.003}};
        if (step % 50 == 0) {
            values["acc/val"] = 0.7 + 0.0015 * step;
            values["acc/test"] = 0.72 + 0.0015 * step;
            for (const auto& set : oods) values["acc/" + set] = 0.8 - 0.0002 * step;
        }
        store.addMetrics(id, step, 0.5 * step, values);
    }
    std::map<std::string, double> final = {{"final/val", 0.93}, {"final/test", 0.94}};
    for (const auto& set : oods) final["final/" + set] = 0.78;
    store.addMetrics(id, 150, 76, final);
    std::vector<AlphaEvaluation> sweep;
    for (int a = 0; a <= 15; ++a)
        for (const std::string set :
             {"val", "test", "clutter-colour", "outline-sketch", "pose-framing", "printed-unseen", "uci-8x8"})
            sweep.push_back({0.1 * a, set, "top1", 0.7 + 0.01 * a});
    store.addAlphaEvaluations(id, sweep);
    store.setStatus(id, RunStatus::Finished);
}

// Copies of run 1 up to RUNS runs, in one transaction: learning rate and dropping probability
// drawn at random, every accuracy scaled by a random factor per run, every tenth run tagged.
bool cloneRuns(const std::string& path, int runs)
{
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) return false;
    std::string sql = "BEGIN;";
    for (int id = 2; id <= runs; ++id) {
        const std::string i = std::to_string(id);
        sql += "INSERT INTO runs(id, experiment_id, name, method, status, created, updated, project_path, "
               "project_snapshot, model_path, code_version, state_path, message, pid) SELECT " +
            i + ", experiment_id, 'run " + i +
            "', method, status, created, updated, project_path, project_snapshot, model_path, code_version, "
            "state_path, message, pid FROM runs WHERE id = 1;"
            "INSERT INTO params SELECT " +
            i +
            ", key, CASE key WHEN 'lr' THEN printf('%.3g', 0.0001 * pow(100, (abs(random()) % 1000) / 1000.0)) "
            "WHEN 'p' THEN printf('%.3g', 0.1 + 0.3 * (abs(random()) % 1000) / 1000.0) ELSE value END "
            "FROM params WHERE run_id = 1;"
            "CREATE TEMP TABLE IF NOT EXISTS f(x REAL); DELETE FROM f; "
            "INSERT INTO f VALUES(0.9 + 0.1 * (abs(random()) % 1000) / 1000.0);"
            "INSERT INTO metrics SELECT " +
            i +
            ", key, CASE WHEN key LIKE 'acc/%' OR key LIKE 'final/%' THEN value * (SELECT x FROM f) ELSE value END, "
            "step, time FROM metrics WHERE run_id = 1;"
            "INSERT INTO alpha_evals SELECT " +
            i + ", alpha, dataset, metric, value * (SELECT x FROM f) FROM alpha_evals WHERE run_id = 1;";
        if (id % 10 == 0) sql += "INSERT INTO tags VALUES(" + i + ", 'search-a');";
    }
    sql += "COMMIT;";
    char* error = nullptr;
    const bool ok = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) == SQLITE_OK;
    if (!ok) std::fprintf(stderr, "runs_browser_bench: %s\n", error ? error : "?");
    sqlite3_free(error);
    sqlite3_close(db);
    return ok;
}

double seconds(QElapsedTimer& t)
{
    const double s = double(t.nsecsElapsed()) / 1e9;
    t.restart();
    return s;
}

} // namespace

int main(int argc, char** argv)
{
    if (!qEnvironmentVariableIsSet("DISPLAY") && !qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // each line as it is measured
    const int runs = argc > 1 ? std::max(2, std::atoi(argv[1])) : 1000;
    QTemporaryDir dir;
    const std::string path = (dir.path() + QStringLiteral("/runs.sqlite")).toStdString();
    QElapsedTimer t;
    t.start();
    {
        RunStore store(path);
        recordTemplateRun(store);
    }
    if (!cloneRuns(path, runs)) return 1;
    std::printf("runs browser on %d runs (150 steps each, 6 sets evaluated 4 times, a 16-alpha sweep)\n", runs);
    std::printf("  making the store: %.2f s\n", seconds(t));

    app::RunsBrowser browser(QString::fromStdString(path));
    browser.resize(1400, 860);
    browser.show();
    QApplication::processEvents();
    std::printf("  open (every run listed and summarised): %.2f s, %d rows\n", seconds(t), browser.table()->rowCount());
    browser.refresh();
    QApplication::processEvents();
    std::printf("  refresh: %.2f s\n", seconds(t));
    browser.filter()->setText(QStringLiteral("search-a"));
    QApplication::processEvents();
    int shown = 0;
    for (int row = 0; row < browser.table()->rowCount(); ++row) shown += !browser.table()->isRowHidden(row);
    std::printf("  filter by a tag: %.3f s, %d rows shown\n", seconds(t), shown);
    browser.filter()->clear();
    QApplication::processEvents();
    seconds(t);
    browser.grab();
    std::printf("  first paint of the window: %.3f s\n", seconds(t));
    QList<qint64> ten, all;
    for (qint64 id = 1; id <= runs; ++id) (id <= 10 ? ten : all) << id;
    all = ten + all;
    browser.selectRuns(ten);
    browser.grab();
    std::printf("  select 10 runs (ID curves, parameter diff): %.3f s\n", seconds(t));
    browser.selectRuns(all);
    browser.grab();
    std::printf("  select all %d runs: %.2f s\n", runs, seconds(t));
    browser.selectRuns({});
    QApplication::processEvents();
    seconds(t);
    browser.views()->setCurrentIndex(1);
    browser.grab();
    std::printf("  Scatter of every run: %.3f s\n", seconds(t));
    browser.views()->setCurrentIndex(2);
    browser.grab();
    std::printf("  Parallel of every run: %.3f s\n", seconds(t));
    // Hover: 50 mouse moves across the parallel view, each finding the nearest line.
    QCustomPlot* plot = browser.parallel()->plot();
    for (int i = 0; i < 50; ++i) {
        QMouseEvent move(QEvent::MouseMove, QPointF(100 + 8 * i, 200 + 2 * i),
                         plot->mapToGlobal(QPointF(100 + 8 * i, 200 + 2 * i)), Qt::NoButton, Qt::NoButton,
                         Qt::NoModifier);
        QApplication::sendEvent(plot, &move);
    }
    std::printf("  hover on the parallel view: %.1f ms a mouse move\n", 1000 * seconds(t) / 50);
    return 0;
}
