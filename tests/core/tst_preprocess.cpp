// Preprocessing against Pillow's own output (vectors made by tests/data/make_preprocess_vectors.py).
#include "clip/imagepreprocess.h"
#include "testutil.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QTest>
#include <fstream>

using namespace ra;

class TestPreprocess : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesPillowExactly_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("size");
        QTest::addColumn<QList<int>>("rgb");
        std::ifstream in((test::sourceDir() + "/tests/data/preprocess/expected.json").toStdString());
        const auto cases = nlohmann::json::parse(in);
        for (const auto& c : cases) {
            const auto v = c["rgb"].get<std::vector<int>>();
            QTest::newRow(c["file"].get<std::string>().c_str())
                << QString::fromStdString(c["file"].get<std::string>()) << c["size"].get<int>()
                << QList<int>(v.begin(), v.end());
        }
    }
    void matchesPillowExactly()
    {
        QFETCH(QString, file);
        QFETCH(int, size);
        QFETCH(QList<int>, rgb);
        const DecodedImage image = decodeImage((test::sourceDir() + "/tests/data/preprocess/" + file).toStdString());
        // Reproduce clipPreprocess up to the RGB bytes.
        const int w = image.width, h = image.height;
        const int newW = w <= h ? size : int(double(int64_t(size) * w) / h);
        const int newH = w <= h ? int(double(int64_t(size) * h) / w) : size;
        const DecodedImage resized = resizeBicubic(image, newW, newH);
        const int top = int(std::nearbyint((resized.height - size) / 2.0));
        const int left = int(std::nearbyint((resized.width - size) / 2.0));
        const auto got = toRgb(crop(resized, left, top, size, size));
        QCOMPARE(int(got.size()), rgb.size());
        int mismatches = 0;
        for (int i = 0; i < rgb.size(); ++i) mismatches += int(got[size_t(i)]) != rgb[i];
        QCOMPARE(mismatches, 0);
        // And the full transform is those bytes, normalised.
        const auto tensor = clipPreprocess(image, size);
        QCOMPARE(tensor.size(), size_t(3 * size * size));
        QVERIFY(std::abs(tensor[0] - ((rgb[0] / 255.0f) - 0.48145466f) / 0.26862954f) < 1e-6f);
    }

    void normalisationConstants()
    {
        const auto white = normaliseRgb({255, 255, 255}, 1, 1);
        QVERIFY(std::abs(white[0] - 1.9303361f) < 1e-6f && std::abs(white[1] - 2.0748837f) < 1e-6f &&
                std::abs(white[2] - 2.1458972f) < 1e-6f);
        const auto black = normaliseRgb({0, 0, 0}, 1, 1);
        QVERIFY(std::abs(black[0] + 1.7922626f) < 1e-6f && std::abs(black[2] + 1.4802198f) < 1e-6f);
    }

    void noResamplingAtModelSize()
    {
        DecodedImage img;
        img.width = img.height = 4;
        img.mode = PixelMode::Rgb;
        for (int i = 0; i < 48; ++i) img.pixels.push_back(uint8_t(i * 5));
        QVERIFY(resizeBicubic(img, 4, 4).pixels == img.pixels);
    }

    void corruptImagesGiveClearErrors()
    {
        QTemporaryDir dir;
        const std::string bad = (dir.path() + "/broken.png").toStdString();
        test::writeBytes(bad, {0x89, 'P', 'N', 'G', 1, 2, 3});
        try {
            decodeImage(bad);
            QFAIL("a corrupt image was decoded");
        } catch (const Error& e) {
            QVERIFY(QString::fromUtf8(e.what()).startsWith(QString::fromStdString(bad)));
        }
        QVERIFY_THROWS_EXCEPTION(Error, decodeImage((dir.path() + "/missing.png").toStdString()));
        test::writeBytes((dir.path() + "/empty.jpg").toStdString(), {});
        QVERIFY_THROWS_EXCEPTION(Error, decodeImage((dir.path() + "/empty.jpg").toStdString()));
    }
};

QTEST_GUILESS_MAIN(TestPreprocess)
#include "tst_preprocess.moc"
