// The demo world: deterministic preparation from Debian's data, a corpus that never touches the
// held-out typefaces or the downstream images, and a shipped model with real zero-shot ability.
#include "clip/clipencoder.h"
#include "demo/digitsshift.h"
#include "demo/fontcatalog.h"
#include "demo/glyphcorpus.h"
#include "demo/pretrainer.h"
#include "testutil.h"
#include "util/runtime.h"

#include <nlohmann/json.hpp>

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <fstream>

using namespace ra;

namespace {

nlohmann::json manifest(const QString& dir)
{
    std::ifstream in((dir + "/manifest.json").toStdString());
    return nlohmann::json::parse(in);
}

} // namespace

class TestDemo : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        setThreadCount(0);
        if (!QFile::exists("/usr/share/doc/opencv-doc/examples/data/digits.png")) QSKIP("opencv-doc is not installed (scripts/install-deps.sh)");
    }

    void preparationIsDeterministic()
    {
        const QString a = m_dir.path() + "/a", b = m_dir.path() + "/b";
        const auto splits = prepareDigitsShift(a.toStdString());
        prepareDigitsShift(b.toStdString());
        const auto ma = manifest(a), mb = manifest(b);
        QCOMPARE(ma["hash_fnv1a64"].get<std::string>(), mb["hash_fnv1a64"].get<std::string>());
        QCOMPARE(ma["counts"]["id/train"].get<int>(), 3500);
        QCOMPARE(ma["counts"]["id/val"].get<int>(), 500);
        QCOMPARE(ma["counts"]["id/test"].get<int>(), 1000);
        QCOMPARE(ma["counts"]["ood/uci-8x8"].get<int>(), 1797);
        QVERIFY(ma["counts"]["ood/printed-unseen"].get<int>() >= 500);
        QCOMPARE(ma["counts"]["ood/inverted"].get<int>(), 1000);
        QVERIFY(splits.size() >= 8);
        // Running again with the same options reuses the files.
        const auto before = QFileInfo(a + "/manifest.json").lastModified();
        prepareDigitsShift(a.toStdString());
        QCOMPARE(QFileInfo(a + "/manifest.json").lastModified(), before);
    }

    void corpusUsesOnlyTrainingTypefaces()
    {
        const FontCatalog fonts = FontCatalog::scan();
        QVERIFY(fonts.heldOut.size() >= 6);
        QVERIFY(fonts.training.size() >= 40);
        for (const auto& f : fonts.training) QVERIFY2(!FontCatalog::isHeldOutFamily(f.family), f.file.c_str());
        for (const auto& f : fonts.heldOut) QVERIFY(FontCatalog::isHeldOutFamily(f.family));
        GlyphCorpus corpus(fonts.training, 3);
        const auto s1 = corpus.sample(17), s2 = corpus.sample(17), s3 = corpus.sample(18);
        QCOMPARE(s1.caption, s2.caption);
        QVERIFY(s1.image.pixels == s2.image.pixels);
        QVERIFY(s1.image.pixels != s3.image.pixels);
        QCOMPARE(s1.image.width, 32);
        // Captions name their glyph in the words the zero-shot head uses.
        int digits = 0;
        for (uint64_t i = 0; i < 200; ++i) {
            const auto s = corpus.sample(i);
            for (const auto& w : GlyphCorpus::digitWords())
                if (s.caption.find(w) != std::string::npos) { ++digits; break; }
        }
        QVERIFY2(digits > 80 && digits < 140, qPrintable(QString::number(digits)));
    }

    void shippedModelHasZeroShotAbility()
    {
        const QString model = test::sourceDir() + "/resources/models/glyphclip-tiny.safetensors";
        if (!QFile::exists(model)) QSKIP("the shipped model is missing");
        const QString data = m_dir.path() + "/a";
        prepareDigitsShift(data.toStdString());
        auto encoder = ClipEncoder::load(model.toStdString());
        QCOMPARE(encoder->config().imageResolution, 32);
        const auto acc = digitZeroShot(*encoder, data.toStdString(), {"id/test", "extra/printed-seen"});
        QVERIFY2(acc.at("id/test") > 0.25, qPrintable(QString::number(acc.at("id/test"))));          // chance: 0.10
        QVERIFY2(acc.at("extra/printed-seen") > 0.8, qPrintable(QString::number(acc.at("extra/printed-seen"))));
    }
};

QTEST_GUILESS_MAIN(TestDemo)
#include "tst_demo.moc"
