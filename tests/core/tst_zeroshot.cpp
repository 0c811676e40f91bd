// Datasets, templates and zero-shot scoring: hand-made cases with known answers, and the whole
// path over the reference model.
#include "clip/clipencoder.h"
#include "data/captions.h"
#include "data/dataset.h"
#include "data/templates.h"
#include "eval/alphaselection.h"
#include "eval/embeddingmap.h"
#include "eval/zeroshot.h"
#include "testutil.h"
#include "util/error.h"
#include "util/runtime.h"

#include <QTemporaryDir>
#include <QTest>
#include <fstream>

using namespace ra;

namespace {

// A tiny binary PPM (OpenCV reads it) filled with one colour.
void writePpm(const QString& path, int w, int h, uint8_t r, uint8_t g, uint8_t b)
{
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << "P6\n" << w << " " << h << "\n255\n";
    for (int i = 0; i < w * h; ++i) out.put(char(r)).put(char(g)).put(char(b));
}

void writeText(const QString& path, const std::string& text)
{
    std::ofstream out(path.toStdString());
    out << text;
}

} // namespace

class TestZeroShot : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        setThreadCount(0);
        QDir root(m_dir.path());
        root.mkpath("folder/red_thing");
        root.mkpath("folder/blue_thing");
        writePpm(m_dir.path() + "/folder/red_thing/a.ppm", 40, 30, 220, 10, 10);
        writePpm(m_dir.path() + "/folder/red_thing/b.ppm", 20, 20, 250, 40, 40);
        writePpm(m_dir.path() + "/folder/blue_thing/c.ppm", 30, 50, 10, 10, 230);
        writeText(m_dir.path() + "/folder/blue_thing/notes.txt", "not an image");
    }

    void classifyHandMadeCase()
    {
        // Three unit class vectors; four samples whose nearest class is known.
        FloatMatrix head{3, 2, {1, 0, 0, 1, -1, 0}};
        FloatMatrix feats{4, 2, {0.9f, 0.1f, 0.1f, 0.9f, -0.8f, 0.2f, 0.2f, 0.98f}};
        const auto r = classify(feats, head, {0, 1, 2, 0});
        QCOMPARE(r.count, int64_t(4));
        QCOMPARE(r.top1, 0.75);
        QCOMPARE(r.top5, 1.0);
        QCOMPARE(r.perClassAccuracy[0], 0.5);
        QCOMPARE(r.perClassAccuracy[1], 1.0);
        QCOMPARE(r.perClassCount[0], 2);
        QCOMPARE(r.confusion[0][1], 1);
        QCOMPARE(r.predictions, (std::vector<int>{0, 1, 2, 1}));
    }

    // The embedding map's plane: points that vary along two known directions of a 4-d space, with
    // more spread along the first, land on the plane with their coordinates along those
    // directions (signs fixed), in one frame for every matrix fitted and projected.
    void principalPlaneHandMade()
    {
        // Centred at (1, 1, 1, 1); spread 3 along e2, 1 along e0, nothing along e1 and e3.
        FloatMatrix a{4, 4, {1, 1, 4, 1, 1, 1, -2, 1, 2, 1, 1, 1, 0, 1, 1, 1}};
        const FloatMatrix b = a;              // A again: the same frame
        FloatMatrix also{1, 4, {3, 9, 1, 7}}; // off the plane: only e0 and e2 count
        const PlaneProjection p = projectOntoPrincipalPlane({&a, &b}, {&also});
        QCOMPARE(int(p.points.size()), 3);
        QCOMPARE(p.points[0].rows, int64_t(4));
        QCOMPARE(p.points[0].cols, int64_t(2));
        const std::vector<std::pair<double, double>> expectA{{3, 0}, {-3, 0}, {0, 1}, {0, -1}};
        for (int i = 0; i < 4; ++i) {
            QVERIFY(std::abs(p.points[0].at(i, 0) - expectA[size_t(i)].first) < 1e-5);
            QVERIFY(std::abs(p.points[0].at(i, 1) - expectA[size_t(i)].second) < 1e-5);
            QCOMPARE(p.points[1].at(i, 0), p.points[0].at(i, 0)); // the same point, the same place
        }
        QVERIFY(std::abs(p.points[2].at(0, 0) - 0) < 1e-5);
        QVERIFY(std::abs(p.points[2].at(0, 1) - 2) < 1e-5);
        QVERIFY(std::abs(p.explainedVariance - 1.0) < 1e-9); // nothing off the plane
        try {
            FloatMatrix one{1, 4, {1, 2, 3, 4}};
            projectOntoPrincipalPlane({&one});
            QFAIL("a map of one point was drawn");
        } catch (const Error&) {}
    }

    // Nearest class mean, leave-one-out: two tight clusters are all right; a point placed nearer
    // the other class's mean is wrong; a class of one is not counted.
    void nearestClassMeanHandMade()
    {
        FloatMatrix tight{4, 2, {0, 0, 0.1f, 0, 5, 5, 5, 5.1f}};
        QCOMPARE(nearestClassMeanAccuracy(tight, {0, 0, 1, 1}), 1.0);
        // Class 0: (0,0), (0.2,0), (4,4) — without itself (4,4)'s own mean is (0.1,0), farther than
        // class 1's (5,5.05); the others' own means include (4,4) but are still nearer than (5,5).
        FloatMatrix stray{6, 2, {0, 0, 0.2f, 0, 4, 4, 5, 5, 5, 5.1f, 9, 9}};
        QCOMPARE(nearestClassMeanAccuracy(stray, {0, 0, 0, 1, 1, 2}), 4.0 / 5.0);
        QCOMPARE(nearestClassMeanAccuracy(FloatMatrix{1, 2, {1, 1}}, {0}), 0.0);
    }

    void imageFolder()
    {
        const auto ds = loadImageDataset((m_dir.path() + "/folder").toStdString());
        QCOMPARE(ds.classNames, (std::vector<std::string>{"blue thing", "red thing"}));
        QCOMPARE(ds.samples.size(), size_t(3));
        QCOMPARE(ds.classCounts(), (std::vector<int>{1, 2}));
    }

    void csvDatasets()
    {
        writeText(m_dir.path() + "/names.csv",
                  "path,label\nfolder/red_thing/a.ppm,red\n\"folder/blue_thing/c.ppm\",blue\n");
        auto ds = loadImageDataset((m_dir.path() + "/names.csv").toStdString());
        QCOMPARE(ds.classNames, (std::vector<std::string>{"blue", "red"}));
        QCOMPARE(ds.samples[0].label, 1);
        QVERIFY(QFile::exists(QString::fromStdString(ds.samples[0].path)));

        writeText(m_dir.path() + "/ids.csv", "folder/red_thing/a.ppm,1\nfolder/blue_thing/c.ppm,0\n");
        ds = loadImageDataset((m_dir.path() + "/ids.csv").toStdString());
        QCOMPARE(ds.classNames.size(), size_t(2));
        writeText(m_dir.path() + "/classes.txt", "blue square\nred square\n");
        applyClassNamesFile(ds, (m_dir.path() + "/classes.txt").toStdString());
        QCOMPARE(ds.classNames[1], std::string("red square"));
    }

    // Caption CSVs as Python's csv module writes them: quoted fields, "" for a quote; an unquoted
    // caption keeps its commas.
    void captionCsvQuoting()
    {
        writeText(m_dir.path() + "/captions.csv",
                  "path,caption\n"
                  "folder/red_thing/a.ppm,\"a sign that says \"\"stop\"\", red\"\n"
                  "\"folder/blue_thing/c.ppm\",a blue thing, seen from above\n"
                  "folder/red_thing/a.ppm,  padded  \n");
        const CaptionDataset ds = loadCaptionDataset((m_dir.path() + "/captions.csv").toStdString());
        QCOMPARE(ds.images.size(), size_t(2));
        QCOMPARE(
            ds.captions,
            (std::vector<std::string>{"a sign that says \"stop\", red", "a blue thing, seen from above", "padded"}));
        QCOMPARE(ds.captionImage, (std::vector<int>{0, 1, 0}));
        writeText(m_dir.path() + "/open.csv", "folder/red_thing/a.ppm,\"never closed\n");
        QVERIFY(test::errorOf([&] {
                    loadCaptionDataset((m_dir.path() + "/open.csv").toStdString());
                }).contains("open.csv: line 1 is not 'path,caption'"));
    }

    void badInputsNameTheFile()
    {
        const QString dir = m_dir.path();
        writeText(dir + "/broken.csv", "just-one-field\n");
        QVERIFY(test::errorOf([&] { loadImageDataset((dir + "/broken.csv").toStdString()); }).contains("line 1"));
        writeText(dir + "/comma.csv",
                  "path,label\nfolder/red_thing/a.ppm,\"red, dark\"\nfolder/red_thing/b.ppm,red, light\n");
        QVERIFY(test::errorOf([&] {
                    loadImageDataset((dir + "/comma.csv").toStdString());
                }).contains("comma.csv: line 3 has 3 fields"));
        QVERIFY(test::errorOf([&] { loadImageDataset((dir + "/nope").toStdString()); }).contains("no such file"));
        QDir(dir).mkpath("flat");
        QVERIFY(
            test::errorOf([&] { loadImageDataset((dir + "/flat").toStdString()); }).contains("no class sub-folders"));
        writeText(dir + "/two.txt", "only one\n");
        auto ds = loadImageDataset((dir + "/folder").toStdString());
        QVERIFY(test::errorOf([&] {
                    applyClassNamesFile(ds, (dir + "/two.txt").toStdString());
                }).contains("lists 1 class names"));
        writeText(dir + "/templates.txt", "a photo of a {}.\n# comment\nno placeholder\n");
        QVERIFY(test::errorOf([&] { readTemplatesFile((dir + "/templates.txt").toStdString()); }).contains("line 3"));
    }

    // The alpha-selection rules on hand-made validation curves with known answers.
    void alphaSelection()
    {
        // 500 samples at 96 %: SE = sqrt(.96 * .04 / 500) = 0.876 points.
        const std::map<double, double> curve = {{0.0, 0.70},  {0.5, 0.90},  {0.8, 0.950}, {0.9, 0.952},
                                                {1.0, 0.958}, {1.2, 0.960}, {1.5, 0.955}};
        const AlphaChoice c = chooseAlpha(curve, 500);
        QCOMPARE(c.argmax, 1.2);
        QCOMPARE(c.bestAccuracy, 0.96);
        QVERIFY(std::abs(c.standardError - 0.008764) < 1e-5);
        QCOMPARE(c.oneStandardError, 0.9); // 0.952 >= 0.951236; 0.950 is not
        // A huge validation set leaves no tolerance; ties keep the smaller alpha.
        QCOMPARE(chooseAlpha(curve, 100000000).oneStandardError, 1.2);
        QCOMPARE(chooseAlpha({{0.3, 0.5}, {0.6, 0.5}}, 10).argmax, 0.3);
        QVERIFY(test::errorOf([] { chooseAlpha({}, 10); }).contains("empty"));
        QVERIFY(test::errorOf([] { chooseAlpha({{0.5, 0.5}}, 0); }).contains("validation set is empty"));
    }

    void templates()
    {
        QCOMPARE(openAiImageNetTemplates().size(), size_t(80));
        QCOMPARE(fillTemplate("a {} and a {}.", "cat"), std::string("a cat and a cat."));
    }

    void endToEndOnReferenceModel()
    {
        RA_REQUIRE_GOLDEN();
        auto enc = ClipEncoder::load(test::goldenPath("clip-ref/openai_layout.safetensors"));
        const auto ds = loadImageDataset((m_dir.path() + "/folder").toStdString());
        const FloatMatrix head = zeroShotHead(*enc, ds.classNames, shortTemplates());
        QCOMPARE(head.rows, int64_t(2));
        for (int64_t r = 0; r < head.rows; ++r) {
            double n = 0;
            for (int64_t k = 0; k < head.cols; ++k) n += head.at(r, k) * head.at(r, k);
            QVERIFY(std::abs(n - 1.0) < 1e-5);
        }
        int64_t seen = 0;
        const FloatMatrix feats = encodeDataset(*enc, ds, 2, [&](int64_t done, int64_t total) {
            seen = done;
            QCOMPARE(total, int64_t(3));
        });
        QCOMPARE(seen, int64_t(3));
        std::vector<int> labels;
        for (const auto& s : ds.samples) labels.push_back(s.label);
        const auto r = classify(feats, head, labels);
        QCOMPARE(r.count, int64_t(3));
        QVERIFY(r.top5 >= r.top1);
        // The top-1 prediction is the arg-max of the cosine similarities.
        for (int64_t i = 0; i < feats.rows; ++i) {
            double s0 = 0, s1 = 0;
            for (int64_t k = 0; k < feats.cols; ++k) {
                s0 += feats.at(i, k) * head.at(0, k);
                s1 += feats.at(i, k) * head.at(1, k);
            }
            QCOMPARE(r.predictions[size_t(i)], s1 > s0 ? 1 : 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestZeroShot)
#include "tst_zeroshot.moc"
