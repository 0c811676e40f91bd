// The Studio's real widgets and worker thread, offscreen, on the demo project: open it, train a
// short run and receive curve points, pause, resume and cancel, sweep and move the alpha slider,
// find the run in the browser, export the merged model and load it back, export plots.
#include "clip/clipencoder.h"
#include "curveplot.h"
#include "hyperparameterform.h"
#include "imagegallery.h"
#include "modelsummarywidget.h"
#include "studio/alphaexplorer.h"
#include "studio/democomparison.h"
#include "studio/mainwindow.h"
#include "studio/modelloader.h"
#include "studio/newprojectdialog.h"
#include "studio/projectpanel.h"
#include "studio/runsbrowser.h"
#include "testutil.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace ra::app;

namespace {
QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class TestStudio : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QSignalSpy> m_partialSweeps;

    // Small work, so that the waits below hold on a machine several times slower than the ones
    // this was written on: every wait is for a signal, bounded by ten minutes at most.
    void configure(int steps, int evalEvery)
    {
        auto* form = m_window->hyperParameters();
        form->setValue("steps", QString::number(steps));
        form->setValue("batch", "16");
        form->setValue("eval_every", QString::number(evalEvery));
        form->setValue("threads", "2");
        form->setValue("eval_limit", "60");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("RA_STUDIO_NO_DIALOGS", "1");
        if (!QFileInfo::exists(MainWindow::demoProjectPath())) QSKIP("the demo project is not in this tree");
        m_window = std::make_unique<MainWindow>(m_dir.path() + "/runs.sqlite");
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_partialSweeps = std::make_unique<QSignalSpy>(m_window->worker(), &TrainingWorker::sweepPartial);
    }

    void opensTheDemoProject()
    {
        QSignalSpy opened(m_window.get(), &MainWindow::projectOpened);
        m_window->openDemoProject(); // prepares the data in the worker when needed
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 120000);
        QCOMPARE(m_window->projectPanel()->datasets()->topLevelItemCount(), 7);
        QCOMPARE(m_window->projectPanel()->datasets()->topLevelItem(0)->text(1), QStringLiteral("3500"));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->projectPanel()->modelSummary()->valueText("Image tower").contains("patch 4"), 30000);
    }

    void invalidValuesAreRefused()
    {
        auto* form = m_window->hyperParameters();
        form->setValue("p", "1.7");
        ra::TrainConfig c;
        QString error;
        QVERIFY(!form->config(&c, &error));
        QVERIFY(error.contains("setting p"));
        form->setValue("p", "0.2");
        QVERIFY(form->config(&c, &error));
        QVERIFY(!form->editor("ema")->toolTip().isEmpty());
    }

    void trainsWithLiveCurvesPauseAndResume()
    {
        configure(20, 5);
        auto highest = std::make_shared<int>(0); // the bar goes on to show the alpha sweep after training
        connect(m_window->progressBar(), &QProgressBar::valueChanged, this, [highest](int v) { *highest = std::max(*highest, v); });
        m_window->startTraining();
        QVERIFY(m_window->isTraining());
        QTRY_VERIFY_WITH_TIMEOUT(m_window->lossPlot()->pointCount("loss") >= 3, 300000);
        m_window->togglePause();
        QTest::qWait(400);
        const int paused = m_window->lossPlot()->pointCount("loss");
        QTest::qWait(600);
        QVERIFY(m_window->lossPlot()->pointCount("loss") <= paused + 1); // at most the step in flight
        m_window->togglePause();
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->isTraining(), 600000);
        QCOMPARE(m_window->lossPlot()->pointCount("loss"), 20);
        QCOMPARE(m_window->accuracyPlot()->pointCount("val (ID)"), 4);
        QVERIFY(m_window->accuracyPlot()->pointCount("uci-8x8") == 4);
        QCOMPARE(*highest, 20);
        disconnect(m_window->progressBar(), nullptr, this, nullptr);
    }

    void alphaSliderChangesTheNumbers()
    {
        AlphaExplorer* alpha = m_window->alphaExplorer();
        QTRY_VERIFY_WITH_TIMEOUT(alpha->wiseFtPlot()->pointCount("α sweep") == 16, 600000);
        // The sweep arrived coarse to fine: alpha 0 first, then 1.5, then the middle.
        QCOMPARE(m_partialSweeps->count(), 15);
        auto alphas = [&](int i) {
            QList<double> out;
            for (const auto& p : m_partialSweeps->at(i).first().value<QVector<AlphaPoint>>()) out << p.alpha;
            return out;
        };
        QCOMPARE(alphas(0), (QList<double>{0.0}));
        QCOMPARE(alphas(1), (QList<double>{0.0, 1.5}));
        QCOMPARE(alphas(2), (QList<double>{0.0, 0.7, 1.5}));
        bool exact = false;
        alpha->slider()->setValue(0);
        const double atZero = alpha->shownAccuracy("val", &exact);
        QVERIFY(exact); // every slider position is a swept point
        alpha->slider()->setValue(10);
        QVERIFY(alpha->shownAccuracy("val") != atZero);
        QVERIFY(alpha->hasDetail()); // the sweep carries every position's predictions: no wait
        // The validation-chosen alpha (one-standard-error rule) is one click away.
        QVERIFY(alpha->choiceButton()->isEnabled());
        QVERIFY(alpha->chosenAlpha() >= 0 && alpha->chosenAlpha() <= 1.5);
        alpha->choiceButton()->click();
        QCOMPARE(alpha->alpha(), alpha->chosenAlpha());
        alpha->slider()->setValue(10);
        QVERIFY(alpha->gallery()->count() > 0); // predictions changed from zero-shot
        QCOMPARE(m_window->progressBar()->value(), 16); // the sweep's 16 alphas
    }

    void runAppearsInTheBrowser()
    {
        RunsBrowser* runs = m_window->runsBrowser();
        runs->refresh();
        QCOMPARE(runs->table()->rowCount(), 1);
        QCOMPARE(runs->table()->item(0, 2)->text(), QStringLiteral("finished"));
        runs->selectRuns({1});
        QCOMPARE(runs->selectedRuns(), QList<qint64>{1});
        QCOMPARE(runs->overlay()->seriesNames().size(), 1);
        // The ID curve is the validation set's alone: one point per evaluation (4 in 20 steps).
        QCOMPARE(runs->overlay()->pointCount(runs->overlay()->seriesNames().first()), 4);
        // Best values are never below last values; OOD columns are filled.
        auto percent = [&](int column) { return runs->table()->item(0, column)->text().remove(" %").toDouble(); };
        QVERIFY(percent(6) >= percent(5)); // best ID >= last ID
        QVERIFY(percent(8) >= percent(7) && percent(7) > 0); // best OOD >= last OOD
        QString error;
        QVERIFY(runs->tagSelected("smoke", &error));
        QCOMPARE(runs->table()->item(0, 3)->text(), QStringLiteral("smoke"));
        runs->filter()->setText("nomatch");
        QVERIFY(runs->table()->isRowHidden(0));
        runs->filter()->clear();
        QVERIFY(runs->exportSelected(m_dir.path() + "/runs.csv", &error));
        QVERIFY(QFile(m_dir.path() + "/runs.csv").size() > 100);
    }

    void exportsAndLoadsBack()
    {
        QSignalSpy exported(m_window->worker(), &TrainingWorker::exported);
        const QString path = m_dir.path() + "/merged.safetensors";
        m_window->exportModel(0.5, "openai", path, false);
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 300000);
        auto encoder = ra::ClipEncoder::load(path.toStdString());
        QCOMPARE(encoder->config().imageResolution, 32);
        // The run store is never an export's destination, whatever the dialog said (#13).
        QSignalSpy failed(m_window->worker(), &TrainingWorker::failed);
        const QString store = m_dir.path() + "/runs.sqlite";
        const QFileInfo before(store);
        m_window->exportModel(0.5, "openai", store, false);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 60000);
        QVERIFY2(failed.first().at(0).toString().contains("never replaces"), qPrintable(failed.first().at(0).toString()));
        QCOMPARE(QFileInfo(store).size(), before.size());
        for (const char* ext : {"png", "svg", "pdf"}) {
            const QString plot = m_dir.path() + "/accuracy." + ext;
            QVERIFY(m_window->accuracyPlot()->exportTo(plot));
            QVERIFY(QFile(plot).size() > 500);
        }
    }

    void cancelStopsARun()
    {
        configure(5000, 0);
        QSignalSpy finished(m_window->worker(), &TrainingWorker::trainingFinished);
        m_window->startTraining();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->lossPlot()->pointCount("loss") >= 2, 300000);
        m_window->cancelTraining();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 300000);
        QCOMPARE(finished.first().first().toString(), QStringLiteral("interrupted"));
        // The spy hears the worker's signal at once; the window's queued slot follows.
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->isTraining(), 10000);
    }

    // File > New Project: a project made in the dialog opens; a bad path is refused with the
    // path named, and never replaces the file already there.
    void newProjectDialogWritesAProjectThatOpens()
    {
        const ra::Project demo = ra::Project::load(MainWindow::demoProjectPath().toStdString());
        const QString file = m_dir.path() + "/made/new-project.json";
        NewProjectDialog dialog(QString::fromStdString(demo.model));
        dialog.findChild<QLineEdit*>("name")->setText("Made in the dialog");
        dialog.findChild<QLineEdit*>("train")->setText(QString::fromStdString(demo.train));
        dialog.findChild<QLineEdit*>("val")->setText(QString::fromStdString(demo.val));
        dialog.findChild<QLineEdit*>("file")->setText(file);
        dialog.addOodSet("inverted", QString::fromStdString(demo.ood.back().second));
        QVERIFY(dialog.writeProject());
        QCOMPARE(dialog.projectPath(), file);
        const ra::Project made = ra::Project::load(file.toStdString());
        QCOMPARE(made.name, std::string("Made in the dialog"));
        QCOMPARE(made.ood.size(), size_t(1));
        QCOMPARE(made.train, demo.train);
        QVERIFY(m_window->openProject(file));
        QCOMPARE(m_window->projectPanel()->datasets()->topLevelItemCount(), 3);
        // Open Checkpoint: a file that does not load changes nothing; one that loads becomes the model.
        const std::string modelBefore = m_window->project()->model;
        QSignalSpy loadFailed(m_window->modelLoader(), &ModelLoader::failed);
        m_window->openCheckpoint(m_dir.path() + "/missing.safetensors");
        QTRY_COMPARE_WITH_TIMEOUT(loadFailed.count(), 1, 30000);
        QCOMPARE(m_window->project()->model, modelBefore);
        const QString copy = m_dir.path() + "/made/copy.safetensors";
        QVERIFY(QFile::copy(QString::fromStdString(demo.model), copy));
        m_window->openCheckpoint(copy);
        QTRY_COMPARE_WITH_TIMEOUT(QString::fromStdString(m_window->project()->model), copy, 30000);
        // Save Project As keeps the hyper-parameters as the form shows them.
        m_window->hyperParameters()->setValue("steps", "123");
        QVERIFY(m_window->saveProjectAs(m_dir.path() + "/made/saved.json"));
        const ra::Project saved = ra::Project::load((m_dir.path() + "/made/saved.json").toStdString());
        QCOMPARE(saved.config.steps, 123);
        QCOMPARE(saved.ood.size(), size_t(1));
        QCOMPARE(QString::fromStdString(saved.model), copy);

        const QByteArray before = readAll(file);
        NewProjectDialog bad(QString::fromStdString(demo.model));
        bad.findChild<QLineEdit*>("name")->setText("Broken");
        bad.findChild<QLineEdit*>("train")->setText(m_dir.path() + "/no-such-folder");
        bad.findChild<QLineEdit*>("file")->setText(file);
        QVERIFY(!bad.writeProject());
        QVERIFY(bad.findChild<QLabel*>("error")->text().contains("no-such-folder"));
        QCOMPARE(readAll(file), before);
        QVERIFY(!QFileInfo::exists(file + ".check"));
        m_window->openDemoProject();
    }

    // A libtorch failure inside a Studio action (injected into the model's forward pass) reaches
    // the window as one sentence; the run is marked failed and the window is ready again.
    void libtorchErrorReachesTheWindowAsOneSentence()
    {
        configure(3, 0);
        QSignalSpy finished(m_window->worker(), &TrainingWorker::trainingFinished);
        qputenv("RADAPTER_INJECT_TORCH_ERROR", "1");
        m_window->startTraining();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 300000);
        qunsetenv("RADAPTER_INJECT_TORCH_ERROR");
        QCOMPARE(finished.first().at(0).toString(), QStringLiteral("failed"));
        const QString message = finished.first().at(1).toString();
        QVERIFY2(message.startsWith("training failed: internal error in a library: injected failure") && !message.contains('\n'),
                 qPrintable(message));
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->isTraining(), 10000);
    }

    // The demo comparison, drawn: a short run (5 steps per method, 80 images per evaluation set)
    // fills the table and the plot.
    void demoComparisonIsDrawn()
    {
        QSignalSpy done(m_window->worker(), &TrainingWorker::demoFinished);
        m_window->runDemoComparison(5, 80);
        QVERIFY(!m_window->demoComparison()->runButton()->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 600000);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->demoComparison()->runButton()->isEnabled(), 10000);
        QTableWidget* table = m_window->demoComparison()->table();
        QCOMPARE(table->rowCount(), 7);        // zero-shot, FT, WiSE-FT, R-Adapter x 4
        QCOMPARE(table->columnCount(), 3 + 4 + 1); // method, alpha, ID, 4 OOD sets, OOD avg
        QCOMPARE(table->item(0, 0)->text(), QStringLiteral("zero-shot"));
        // Zero-shot on 80 evenly spaced ID test images: near the model card's 66.8 % on all 1,000.
        const double zeroShotId = table->item(0, 2)->text().remove(" %").toDouble();
        QVERIFY2(zeroShotId > 50 && zeroShotId < 85, qPrintable(table->item(0, 2)->text()));
        QCOMPARE(m_window->demoComparison()->plot()->seriesNames().size(), 7);
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestStudio)
#include "tst_studio.moc"
