// The Studio's real widgets, offscreen: loading a checkpoint fills the model summary; a bad file
// reports a failure without blocking or crashing.
#include "modelsummarywidget.h"
#include "studio/mainwindow.h"
#include "studio/modelloader.h"
#include "testutil.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

class TestStudio : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void loadsCheckpointInBackground()
    {
        RA_REQUIRE_GOLDEN();
        ra::app::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy loaded(window.modelLoader(), &ra::app::ModelLoader::loaded);
        window.openCheckpoint(ra::test::goldenDir() + "/clip-ref/hf");
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
        QVERIFY(window.modelSummary()->valueText("Image tower").contains("patch 16"));
        QVERIFY(window.modelSummary()->valueText("Layout").contains("Hugging Face"));
    }

    void badCheckpointFails()
    {
        QTemporaryDir dir;
        const QString bad = dir.path() + "/bad.safetensors";
        ra::test::writeBytes(bad.toStdString(), {1, 2, 3});
        ra::app::ModelLoader loader;
        QSignalSpy failed(&loader, &ra::app::ModelLoader::failed);
        loader.load(bad);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
        QVERIFY(failed.first().first().toString().contains(bad));
    }
};

QTEST_MAIN(TestStudio)
#include "tst_studio.moc"
