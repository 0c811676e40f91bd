// Preprocessing against Pillow's own output (vectors made by tests/data/make_preprocess_vectors.py).
#include "clip/builtindecoder.h"
#include "clip/imagepreprocess.h"
#include "pngencoder.h"
#include "testutil.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QTest>
#include <fstream>
#include <random>

#include <sys/resource.h>

using namespace ra;

namespace {

// A random image in SPEC's colour type and depth, with a palette or colour key when asked.
test::PngSpec randomPng(int colourType, int bitDepth, bool interlaced, bool transparent, uint32_t seed)
{
    std::mt19937 rng(seed);
    test::PngSpec p;
    p.width = 13;
    p.height = 11; // odd sizes leave Adam7's passes partly empty
    p.colourType = colourType;
    p.bitDepth = bitDepth;
    p.interlaced = interlaced;
    const int channels = test::pngSpecChannels(colourType);
    const uint32_t levels = colourType == 3 ? std::min(1u << bitDepth, 200u) : 1u << bitDepth;
    // 16-bit samples near multiples of 128 exercise the reduction's rounding (half to even).
    for (int i = 0; i < p.width * p.height * channels; ++i)
        p.samples.push_back(bitDepth == 16 && i % 3 == 0 ? (rng() % 512) * 128 + (rng() % 2) : rng() % levels);
    if (colourType == 3) {
        for (uint32_t e = 0; e < levels * 3; ++e) p.palette.push_back(uint8_t(rng()));
        if (transparent)
            for (uint32_t e = 0; e < levels / 2 + 1; ++e) p.trns.push_back(uint8_t(rng()));
    }
    if (colourType == 2 && transparent) {
        // The colour key is one of the image's own colours, so some pixels turn transparent.
        for (int c = 0; c < 3; ++c) {
            const uint32_t v = p.samples[size_t(3 * 5 + c)];
            p.trns.push_back(uint8_t(v >> 8));
            p.trns.push_back(uint8_t(v));
        }
        for (int c = 0; c < 3; ++c) p.samples[size_t(3 * 40 + c)] = p.samples[size_t(3 * 5 + c)];
    }
    return p;
}

std::vector<uint8_t> pnm(char kind, int width, int height, int maxval, uint32_t seed)
{
    std::mt19937 rng(seed);
    const std::string header = std::string("P") + kind + "\n# a comment\n" + std::to_string(width) + " " +
        std::to_string(height) + "\n" + std::to_string(maxval) + "\n";
    std::vector<uint8_t> out(header.begin(), header.end());
    const int samples = width * height * (kind == '6' ? 3 : 1);
    for (int i = 0; i < samples; ++i) {
        const uint32_t v = rng() % (uint32_t(maxval) + 1);
        if (maxval > 255) out.push_back(uint8_t(v >> 8));
        out.push_back(uint8_t(v));
    }
    return out;
}

} // namespace

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

    // A build without OpenCV decodes with its own PNG/PGM/PPM reader: it must give exactly the
    // pixels and mode OpenCV's path gives (this build has OpenCV), for every kind of PNG.
    void builtinDecoderMatchesOpenCv_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        uint32_t seed = 1;
        const std::vector<std::pair<int, std::vector<int>>> kinds = {
            {0, {1, 2, 4, 8, 16}}, {2, {8, 16}}, {3, {1, 2, 4, 8}}, {4, {8, 16}}, {6, {8, 16}}};
        for (const auto& [colourType, depths] : kinds)
            for (int depth : depths)
                for (bool interlaced : {false, true})
                    for (bool transparent : {false, true}) {
                        if (transparent && colourType != 2 && colourType != 3) continue;
                        const auto png = test::encodePng(randomPng(colourType, depth, interlaced, transparent, seed++));
                        QTest::addRow("png type %d depth %d%s%s", colourType, depth, interlaced ? " interlaced" : "",
                                      transparent ? " tRNS" : "")
                            << QByteArray(reinterpret_cast<const char*>(png.data()), qsizetype(png.size()));
                    }
        for (char kind : {'5', '6'})
            for (int maxval : {255, 65535}) {
                const auto bytes = pnm(kind, 9, 7, maxval, seed++);
                QTest::addRow("P%c maxval %d", kind, maxval)
                    << QByteArray(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size()));
            }
    }

    void builtinDecoderMatchesOpenCv()
    {
        QFETCH(QByteArray, bytes);
        const std::vector<uint8_t> b(bytes.begin(), bytes.end());
        QVERIFY(builtinDecoderReads(b));
        const DecodedImage viaOpenCv = decodeImageBytes(b, "test image");
        const DecodedImage builtin = decodeWithBuiltinDecoder(b, "test image");
        QCOMPARE(builtin.width, viaOpenCv.width);
        QCOMPARE(builtin.height, viaOpenCv.height);
        QCOMPARE(int(builtin.mode), int(viaOpenCv.mode));
        QCOMPARE(builtin.pixels.size(), viaOpenCv.pixels.size());
        for (size_t i = 0; i < builtin.pixels.size(); ++i)
            if (builtin.pixels[i] != viaOpenCv.pixels[i])
                QFAIL(qPrintable(
                    QString("byte %1: built-in %2, OpenCV %3").arg(i).arg(builtin.pixels[i]).arg(viaOpenCv.pixels[i])));
    }

    // Damaged or hostile files (the structural check in front of it aside): every mutation of a
    // real PNG or PNM decodes to a whole image or is one ra::Error; never a crash, a hang or a
    // huge allocation (a few bytes may declare a giant image).
    void builtinDecoderSurvivesMutations()
    {
        std::vector<std::vector<uint8_t>> seeds = {test::encodePng(randomPng(2, 8, false, true, 90)),
                                                   test::encodePng(randomPng(3, 4, true, true, 91)),
                                                   test::encodePng(randomPng(0, 16, true, false, 92)),
                                                   test::encodePng(randomPng(6, 8, false, false, 93)),
                                                   pnm('6', 9, 7, 255, 94),
                                                   pnm('5', 9, 7, 65535, 95)};
        std::mt19937 rng(7);
        int decoded = 0, refused = 0;
        for (const auto& seed : seeds)
            for (int trial = 0; trial < 400; ++trial) {
                std::vector<uint8_t> b = seed;
                const int edits = 1 + int(rng() % 4);
                for (int e = 0; e < edits; ++e) {
                    // Most edits in the first 40 bytes: the headers, where sizes and types live.
                    const size_t at = rng() % 3 ? rng() % std::min<size_t>(40, b.size()) : rng() % b.size();
                    b[at] = rng() % 2 ? uint8_t(rng()) : uint8_t(b[at] ^ (1u << (rng() % 8)));
                }
                if (rng() % 5 == 0) b.resize(rng() % b.size());
                try {
                    const DecodedImage img = decodeWithBuiltinDecoder(b, "mutant");
                    QCOMPARE(img.pixels.size(), size_t(img.width) * size_t(img.height) * size_t(img.channels()));
                    ++decoded;
                } catch (const Error& e) {
                    QVERIFY(QString::fromUtf8(e.what()).startsWith("mutant: "));
                    ++refused;
                }
            }
        QVERIFY(decoded > 0 && refused > 0);
    }

    // A PNG whose header declares 16,000 x 16,000 RGBA pixels (1 GB of rows) over a few bytes of data:
    // the damage check in front of OpenCV and the built-in decoder say the data does not match
    // the size, without reserving the declared size first.
    void hugeDeclaredSizeCostsNothing()
    {
        std::vector<uint8_t> b = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        std::vector<uint8_t> ihdr;
        for (uint32_t v : {16000u, 16000u})
            for (int sh = 24; sh >= 0; sh -= 8) ihdr.push_back(uint8_t(v >> sh));
        ihdr.insert(ihdr.end(), {8, 6, 0, 0, 0});
        test::appendChunk(b, "IHDR", ihdr);
        std::vector<uint8_t> rows(4000, 0), data(compressBound(4000));
        uLongf size = uLongf(data.size());
        compress2(data.data(), &size, rows.data(), uLong(rows.size()), 6);
        data.resize(size);
        test::appendChunk(b, "IDAT", data);
        test::appendChunk(b, "IEND", {});
        struct rusage before {};
        getrusage(RUSAGE_SELF, &before);
        for (auto decode : {&decodeImageBytes, &decodeWithBuiltinDecoder}) {
            try {
                decode(b, "huge.png");
                QFAIL("an image with too little data was decoded");
            } catch (const Error& e) {
                QVERIFY2(QString::fromUtf8(e.what()).contains("does not match its size"), e.what());
            }
        }
        struct rusage after {};
        getrusage(RUSAGE_SELF, &after);
        QVERIFY2(after.ru_maxrss - before.ru_maxrss < 100 * 1024, qPrintable(QString::number(after.ru_maxrss)));
    }

    // A row with filter type 7 (PNG defines 0-4): the damage check in front of OpenCV and the
    // built-in decoder (which, in the build without OpenCV, is the only one to inflate the data)
    // refuse it with the same sentence.
    void unknownRowFilterIsOneError()
    {
        std::vector<uint8_t> b = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        test::appendChunk(b, "IHDR", {0, 0, 0, 4, 0, 0, 0, 2, 8, 0, 0, 0, 0}); // 4 x 2 grey, 8 bits
        const std::vector<uint8_t> rows = {0, 10, 20, 30, 40, 7, 1, 2, 3, 4};
        std::vector<uint8_t> data(compressBound(uLong(rows.size())));
        uLongf size = uLongf(data.size());
        compress2(data.data(), &size, rows.data(), uLong(rows.size()), 6);
        data.resize(size);
        test::appendChunk(b, "IDAT", data);
        test::appendChunk(b, "IEND", {});
        for (auto decode : {&decodeImageBytes, &decodeWithBuiltinDecoder}) {
            try {
                decode(b, "filter.png");
                QFAIL("a row with an unknown filter was decoded");
            } catch (const Error& e) {
                QCOMPARE(QString::fromUtf8(e.what()),
                         QString("filter.png: the PNG image data is corrupt (a row has an unknown filter)."));
            }
        }
    }

    // A real JPEG (931 bytes) whose frame header is edited to declare 30,000 x 30,000 pixels:
    // libjpeg would allocate the whole image (8 GB), work for most of a minute and only warn;
    // it is one error before any decoding.
    void jpegDeclaringAHugeImageIsRefused()
    {
        const std::string path = RA_SOURCE_DIR "/tests/data/gradient.jpg";
        std::ifstream in(path, std::ios::binary);
        std::vector<uint8_t> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        QVERIFY(decodeImageBytes(b, path).width > 0); // sound as it is
        size_t sof = 0;
        for (size_t i = 2; i + 9 < b.size() && !sof; ++i)
            if (b[i] == 0xFF && b[i + 1] == 0xC0) sof = i;
        QVERIFY(sof > 0);
        for (size_t at : {sof + 5, sof + 7}) b[at] = 30000 >> 8, b[at + 1] = 30000 & 255;
        try {
            decodeImageBytes(b, "huge.jpg");
            QFAIL("a JPEG far too short for its declared size was decoded");
        } catch (const Error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("far too short for the 30000x30000 image"), e.what());
        }
    }

    void builtinDecoderNamesWhatItCannotRead()
    {
        const std::string jpeg = RA_SOURCE_DIR "/tests/data/gradient.jpg";
        std::ifstream in(jpeg, std::ios::binary);
        const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        QVERIFY(!bytes.empty());
        QVERIFY(!builtinDecoderReads(bytes));
        try {
            decodeWithBuiltinDecoder(bytes, jpeg);
            QFAIL("the built-in decoder read a JPEG");
        } catch (const Error& e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.startsWith(QString::fromStdString(jpeg)) && message.contains("PNG, PGM and PPM"),
                     e.what());
        }
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
