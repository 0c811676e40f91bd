// The safetensors reader and writer: byte-exact against the format's reference vectors, and one
// clear ra::Error for every kind of damaged file.
#include "io/safetensors.h"
#include "testutil.h"
#include "util/error.h"

#include <QTemporaryDir>
#include <QTest>
#include <cstring>

using namespace ra;

namespace {

std::vector<uint8_t> fileWithHeader(const std::string& json, size_t dataBytes)
{
    std::vector<uint8_t> out(8, 0);
    uint64_t n = json.size();
    for (int i = 0; i < 8; ++i) out[static_cast<size_t>(i)] = static_cast<uint8_t>((n >> (8 * i)) & 0xFF);
    out.insert(out.end(), json.begin(), json.end());
    out.resize(out.size() + dataBytes, 0);
    return out;
}

} // namespace

class TestSafeTensors : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string path(const char* name) { return (m_dir.path() + QLatin1Char('/') + QLatin1String(name)).toStdString(); }

private Q_SLOTS:
    void writerMatchesReferenceBytes()
    {
        TensorBlob t{"attn.0", DType::F32, {1, 2, 3}, {}};
        for (float v : {0.f, 1.f, 2.f, 3.f, 4.f, 5.f}) {
            uint8_t b[4];
            std::memcpy(b, &v, 4);
            t.bytes.insert(t.bytes.end(), b, b + 4);
        }
        writeSafeTensors(path("a.safetensors"), {t});
        const auto bytes = test::readBytes(path("a.safetensors"));
        QCOMPARE(bytes.size(), size_t(8 + 64 + 24));
        QCOMPARE(int(bytes[0]), 64);
        const std::string header(bytes.begin() + 8, bytes.begin() + 72);
        QCOMPARE(QString::fromStdString(header),
                 QStringLiteral(R"({"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}})"));
        const std::vector<uint8_t> data(bytes.begin() + 72, bytes.end());
        const std::vector<uint8_t> want = {0, 0, 0,  0,  0, 0, 128, 63, 0, 0, 0,   64,
                                           0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64};
        QVERIFY(data == want);
    }

    void writerPadsHeaderWithSpaces()
    {
        TensorBlob t{"attn0", DType::F32, {1, 1, 2, 3}, std::vector<uint8_t>(24, 0)};
        writeSafeTensors(path("b.safetensors"), {t});
        QCOMPARE(int(test::readBytes(path("b.safetensors"))[0]), 72);
        writeSafeTensors(path("empty.safetensors"), {});
        const auto empty = test::readBytes(path("empty.safetensors"));
        QCOMPARE(empty.size(), size_t(16));
        QCOMPARE(std::string(empty.begin() + 8, empty.end()), std::string("{}      "));
        writeSafeTensors(path("meta.safetensors"), {}, {{"framework", "pt"}});
        QCOMPARE(int(test::readBytes(path("meta.safetensors"))[0]), 40);
    }

    void roundTrip()
    {
        TensorBlob a{"b.weight", DType::F16, {2}, {1, 2, 3, 4}};
        TensorBlob b{"a.weight", DType::F32, {1}, {5, 6, 7, 8}};
        writeSafeTensors(path("rt.safetensors"), {a, b}, {{"format", "pt"}});
        const auto f = SafeTensorsFile::open(path("rt.safetensors"));
        QCOMPARE(f.tensors().size(), size_t(2));
        QCOMPARE(f.metadata().at("format"), std::string("pt"));
        QCOMPARE(int(f.info("b.weight").dtype), int(DType::F16));
        QCOMPARE(int(f.data("b.weight")[3]), 4);
        QCOMPARE(int(f.data("a.weight")[0]), 5);
        // Writer order: 4-byte dtype first, so a.weight sits at offset 0.
        QCOMPARE(f.info("a.weight").begin, uint64_t(0));
    }

    void badFiles_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        auto bytes = [](const std::vector<uint8_t>& v) {
            return QByteArray(reinterpret_cast<const char*>(v.data()), int(v.size()));
        };
        const std::string good = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
        auto truncated = fileWithHeader(good, 8);
        truncated.resize(truncated.size() - 3);
        QTest::newRow("too short") << QByteArray("abc") << "too short";
        QTest::newRow("truncated data") << bytes(truncated) << "outside";
        std::vector<uint8_t> huge(16, 0);
        huge[0] = 0xFF;
        huge[1] = 0xFF;
        huge[2] = 0x0F;
        QTest::newRow("header beyond file") << bytes(huge) << "past the end";
        QTest::newRow("not json") << bytes(fileWithHeader("{not json", 0)) << "not valid JSON";
        QTest::newRow("unknown dtype") << bytes(fileWithHeader(
                                              R"({"w":{"dtype":"F4","shape":[2],"data_offsets":[0,8]}})", 8))
                                       << "unknown dtype";
        QTest::newRow("offsets out of range")
            << bytes(fileWithHeader(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,80]}})", 8)) << "outside";
        QTest::newRow("size mismatch") << bytes(fileWithHeader(
                                              R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 8))
                                       << "need";
        QTest::newRow("overlap") << bytes(fileWithHeader(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                                         R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                                                         8))
                                 << "overlaps";
        QTest::newRow("gap") << bytes(fileWithHeader(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", 8))
                             << "gap";
        QTest::newRow("trailing bytes") << bytes(fileWithHeader(good, 12)) << "trailing";
        QTest::newRow("negative dim") << bytes(fileWithHeader(
                                             R"({"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", 8))
                                      << "negative";
        QTest::newRow("missing field") << bytes(fileWithHeader(R"({"w":{"dtype":"F32","shape":[2]}})", 8)) << "lacks";
        QTest::newRow("header not object") << bytes(fileWithHeader("[1,2]", 0)) << "not a JSON object";
    }
    void badFiles()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        const std::string p = path("bad.safetensors");
        test::writeBytes(p, std::vector<uint8_t>(content.begin(), content.end()));
        try {
            SafeTensorsFile::open(p);
            QFAIL("a damaged file was accepted");
        } catch (const Error& e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.startsWith(QString::fromStdString(p)), qPrintable(message));
            QVERIFY2(message.contains(expected), qPrintable(message));
        }
    }

    void missingFile() { QVERIFY_THROWS_EXCEPTION(Error, SafeTensorsFile::open(path("does-not-exist.safetensors"))); }
};

QTEST_GUILESS_MAIN(TestSafeTensors)
#include "tst_safetensors.moc"
