// Datasets, templates and zero-shot scoring: hand-made cases with known answers, and the whole
// path over the reference model.
#include "clip/clipencoder.h"
#include "data/captions.h"
#include "data/dataset.h"
#include "data/templates.h"
#include "eval/alphaselection.h"
#include "eval/embeddingmap.h"
#include "eval/tsne.h"
#include "eval/zeroshot.h"
#include "testutil.h"
#include "util/error.h"
#include "util/runtime.h"

#include <QTemporaryDir>
#include <QTest>
#include <fstream>
#include <random>

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

    // t-SNE's affinities: three points on a line (0, 1, 2). The middle one's neighbours are equally
    // far, so its row is uniform; an end's two neighbours are 1 and 2 away, and its row (a, 1 - a)
    // must have the perplexity asked for. The joint matrix is symmetric, sums to 1, and its
    // entries are the mean of the two rows': p_01 = (a + 1/2) / 6, p_02 = (1 - a) / 3.
    void tsneAffinitiesHaveTheirPerplexity()
    {
        const FloatMatrix line{3, 1, {0, 1, 2}};
        for (double perplexity : {1.2, 1.5, 1.9}) {
            const FloatMatrix p = tsneAffinities(line, perplexity);
            double sum = 0;
            for (int64_t i = 0; i < 3; ++i)
                for (int64_t j = 0; j < 3; ++j) {
                    sum += p.at(i, j);
                    QCOMPARE(p.at(i, j), p.at(j, i));
                }
            QVERIFY(std::abs(sum - 1) < 1e-6);
            QCOMPARE(p.at(0, 0), 0.0f);
            const double a = 6 * p.at(0, 1) - 0.5;
            QVERIFY(std::abs(p.at(0, 2) - (1 - a) / 3) < 1e-6);
            QVERIFY(std::abs(p.at(1, 2) - p.at(0, 1)) < 1e-6);
            const double entropy = -a * std::log(a) - (1 - a) * std::log(1 - a);
            QVERIFY2(std::abs(std::exp(entropy) - perplexity) < 1e-4,
                     qPrintable(QStringLiteral("perplexity %1 for %2").arg(std::exp(entropy)).arg(perplexity)));
        }
    }

    // t-SNE's gradient is the derivative of KL(P || Q), checked by central differences of a KL
    // written out here.
    void tsneGradientIsTheDivergencesDerivative()
    {
        std::mt19937 random(7);
        std::normal_distribution<float> normal;
        FloatMatrix rows{6, 3, {}}, y{6, 2, {}};
        for (int i = 0; i < 18; ++i) rows.data.push_back(normal(random));
        for (int i = 0; i < 12; ++i) y.data.push_back(normal(random));
        const FloatMatrix p = tsneAffinities(rows, 2);
        auto divergence = [&](const std::vector<double>& at) {
            double z = 0;
            std::vector<double> kernel(36, 0);
            for (int i = 0; i < 6; ++i)
                for (int j = 0; j < 6; ++j)
                    if (i != j) {
                        const double dx = at[size_t(2 * i)] - at[size_t(2 * j)];
                        const double dy = at[size_t(2 * i + 1)] - at[size_t(2 * j + 1)];
                        z += kernel[size_t(6 * i + j)] = 1 / (1 + dx * dx + dy * dy);
                    }
            double kl = 0;
            for (int i = 0; i < 6; ++i)
                for (int j = 0; j < 6; ++j)
                    if (i != j) kl += p.at(i, j) * std::log(p.at(i, j) / (kernel[size_t(6 * i + j)] / z));
            return kl;
        };
        const FloatMatrix g = tsneGradient(p, y);
        QCOMPARE(g.rows, int64_t(6));
        QCOMPARE(g.cols, int64_t(2));
        const std::vector<double> at(y.data.begin(), y.data.end());
        for (size_t k = 0; k < at.size(); ++k) {
            std::vector<double> up = at, down = at;
            up[k] += 1e-5;
            down[k] -= 1e-5;
            const double numeric = (divergence(up) - divergence(down)) / 2e-5;
            QVERIFY2(std::abs(g.data[k] - numeric) < 1e-4,
                     qPrintable(QStringLiteral("coordinate %1: %2 against %3").arg(k).arg(g.data[k]).arg(numeric)));
        }
    }

    // t-SNE lays three clusters in 20 dimensions out apart: every point's nearest neighbour on the
    // plane is of its own cluster, from the principal plane and from a scrambled start alike; the
    // layout is the same every time; stopping early leaves the neighbourhoods less kept; few
    // points lower the perplexity.
    void tsneSeparatesClusters()
    {
        std::mt19937 random(3);
        std::normal_distribution<float> normal;
        FloatMatrix rows{90, 20, {}};
        std::vector<int> labels;
        for (int i = 0; i < 90; ++i) {
            labels.push_back(i % 3);
            for (int c = 0; c < 20; ++c) rows.data.push_back(normal(random) + (c == i % 3 ? 6.0f : 0.0f));
        }
        FloatMatrix scrambled{90, 2, {}};
        for (int i = 0; i < 180; ++i) scrambled.data.push_back(normal(random));
        const FloatMatrix pca = projectOntoPrincipalPlane({&rows}).points[0];
        auto nearestOwn = [&](const FloatMatrix& plane) {
            int own = 0;
            for (int64_t i = 0; i < plane.rows; ++i) {
                int64_t best = -1;
                double bestDistance = 1e300;
                for (int64_t j = 0; j < plane.rows; ++j) {
                    const double d = std::hypot(plane.at(i, 0) - plane.at(j, 0), plane.at(i, 1) - plane.at(j, 1));
                    if (j != i && d < bestDistance) {
                        bestDistance = d;
                        best = j;
                    }
                }
                own += labels[size_t(best)] == labels[size_t(i)];
            }
            return double(own) / double(plane.rows);
        };
        TsneOptions options;
        options.perplexity = 10;
        options.iterations = 500;
        const TsneResult fromPca = tsneEmbedding(rows, pca, options);
        QCOMPARE(fromPca.points.rows, int64_t(90));
        QCOMPARE(fromPca.perplexityUsed, 10.0);
        QCOMPARE(nearestOwn(fromPca.points), 1.0);
        QCOMPARE(nearestOwn(tsneEmbedding(rows, scrambled, options).points), 1.0);
        QCOMPARE(tsneEmbedding(rows, pca, options).points.data, fromPca.points.data);
        int steps = 0;
        const TsneResult early = tsneEmbedding(rows, pca, options, [&] { return ++steps > 20; });
        QVERIFY2(early.klDivergence > fromPca.klDivergence,
                 qPrintable(QStringLiteral("%1 %2").arg(early.klDivergence).arg(fromPca.klDivergence)));
        const FloatMatrix few{5, 1, {0, 1, 2, 3, 4}}, start{5, 2, {0, 0, 1, 0, 2, 0, 3, 0, 4, 0}};
        QCOMPARE(tsneEmbedding(few, start, options).perplexityUsed, 4.0 / 3);
        QVERIFY_THROWS_EXCEPTION(Error,
                                 tsneEmbedding(FloatMatrix{3, 1, {0, 1, 2}}, FloatMatrix{3, 2, {0, 0, 1, 0, 2, 0}}));
    }

    // Nearest class mean, leave-one-out: two tight clusters are all right; a point placed nearer
    // the other class's mean is wrong; a class of one is not counted.
    // Which caption each image retrieves: the most similar row, the first of equals.
    void nearestRowsHandMade()
    {
        const FloatMatrix images{3, 2, {1, 0, 0, 1, 0.6f, 0.8f}};
        const FloatMatrix captions{3, 2, {0, 1, 1, 0, 0.8f, 0.6f}};
        QCOMPARE(nearestRows(images, captions), (std::vector<int64_t>{1, 0, 2}));
        QCOMPARE(nearestRows(captions, images), (std::vector<int64_t>{1, 0, 2}));
        QCOMPARE(nearestRows(FloatMatrix{1, 2, {1, 1}}, FloatMatrix{2, 2, {1, 0, 0, 1}}), (std::vector<int64_t>{0}));
        QCOMPARE(nearestRows(images, FloatMatrix{0, 2, {}}), (std::vector<int64_t>{-1, -1, -1}));
        QVERIFY_THROWS_EXCEPTION(Error, nearestRows(images, FloatMatrix{1, 3, {1, 0, 0}}));
    }

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
