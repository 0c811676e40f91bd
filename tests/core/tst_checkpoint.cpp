// Loading CLIP in every layout against OpenAI's reference embeddings, writing it back out, and a
// clear error for each kind of bad checkpoint.
#include "clip/clipencoder_p.h"
#include "io/checkpoint.h"
#include "io/safetensors.h"
#include "store/runstore.h"
#include "testutil.h"
#include "util/error.h"
#include "util/runtime.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QTest>
#include <fstream>

using namespace ra;

namespace {

nlohmann::json expected()
{
    std::ifstream in(test::goldenPath("clip-ref/expected.json"));
    return nlohmann::json::parse(in);
}

// Embeds the reference inputs and returns the worst relative errors (image at size, resized image, texts).
std::array<double, 3> compareWithReference(ClipEncoder& enc)
{
    const auto exp = expected();
    std::vector<std::string> images, texts;
    for (const auto& im : exp["images"]) images.push_back(test::goldenPath("clip-ref/") + im.get<std::string>());
    for (const auto& t : exp["texts"]) texts.push_back(t.get<std::string>());
    const FloatMatrix img = enc.encodeImageFiles(images);
    const FloatMatrix txt = enc.encodeTexts(texts);
    auto row = [](const FloatMatrix& m, int64_t r) { return std::vector<float>(m.row(r), m.row(r) + m.cols); };
    double textErr = 0;
    for (size_t i = 0; i < texts.size(); ++i)
        textErr = std::max(textErr,
                           test::relativeError(row(txt, int64_t(i)), exp["text"][i].get<std::vector<double>>()));
    return {test::relativeError(row(img, 0), exp["image"][0].get<std::vector<double>>()),
            test::relativeError(row(img, 1), exp["image"][1].get<std::vector<double>>()), textErr};
}

} // namespace

class TestCheckpoint : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string path(const char* name) { return (m_dir.path() + QLatin1Char('/') + QLatin1String(name)).toStdString(); }

    void expectError(const std::string& file, const QString& fragment)
    {
        try {
            ClipEncoder::load(file);
            QFAIL("a bad checkpoint was accepted");
        } catch (const Error& e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.contains(QString::fromStdString(file)) || message.contains(QStringLiteral("config.json")),
                     qPrintable(message));
            QVERIFY2(message.contains(fragment), qPrintable(message));
        }
    }

    std::map<std::string, torch::Tensor> referenceTensors()
    {
        return readCheckpoint(test::goldenPath("clip-ref/openai_layout.safetensors")).tensors;
    }

private Q_SLOTS:
    void initTestCase() { setThreadCount(0); }

    void referenceLayouts_data()
    {
        QTest::addColumn<QString>("layout");
        QTest::newRow("openai safetensors") << "openai_layout.safetensors";
        QTest::newRow("hugging face folder") << "hf";
        QTest::newRow("torchscript") << "openai_jit.pt";
    }
    void referenceLayouts()
    {
        RA_REQUIRE_GOLDEN();
        QFETCH(QString, layout);
        auto enc = ClipEncoder::load(test::goldenPath("clip-ref/") + layout.toStdString());
        const auto exp = expected();
        const auto& c = enc->config();
        QCOMPARE(c.embedDim, exp["config"]["embed_dim"].get<int>());
        QCOMPARE(c.imageResolution, exp["config"]["image_resolution"].get<int>());
        QCOMPARE(c.visionLayers, exp["config"]["vision_layers"].get<int>());
        QCOMPARE(c.textHeads, exp["config"]["transformer_heads"].get<int>());
        const auto err = compareWithReference(*enc);
        QVERIFY2(err[0] <= 1e-4, qPrintable(QString::number(err[0])));
        QVERIFY2(err[1] <= 2e-2, qPrintable(QString::number(err[1])));
        QVERIFY2(err[2] <= 1e-4, qPrintable(QString::number(err[2])));
        QVERIFY(std::abs(enc->logitScale() - exp["logit_scale"].get<double>()) < 1e-4);

        // The description the Studio's summary uses, from headers where the layout has them,
        // finds what loading finds.
        const ModelDescription d = ClipEncoder::describe(test::goldenPath("clip-ref/") + layout.toStdString());
        QCOMPARE(QString::fromStdString(d.layout), QString::fromStdString(enc->layoutName()));
        for (auto [a, b] : {std::pair{d.config.embedDim, c.embedDim},
                            {d.config.imageResolution, c.imageResolution},
                            {d.config.patchSize, c.patchSize},
                            {d.config.visionWidth, c.visionWidth},
                            {d.config.visionLayers, c.visionLayers},
                            {d.config.visionHeads, c.visionHeads},
                            {d.config.textWidth, c.textWidth},
                            {d.config.textLayers, c.textLayers},
                            {d.config.textHeads, c.textHeads},
                            {d.config.contextLength, c.contextLength},
                            {d.config.vocabSize, c.vocabSize},
                            {int(d.config.activation), int(c.activation)}})
            QCOMPARE(a, b);
        QCOMPARE(d.config.parameterCount(), c.parameterCount());
    }

    void headerOnlyReadHasNoData()
    {
        RA_REQUIRE_GOLDEN();
        const std::string file = test::goldenPath("clip-ref/openai_layout.safetensors");
        const SafeTensorsFile header = SafeTensorsFile::open(file, /*headerOnly=*/true);
        QCOMPARE(header.tensors().size(), SafeTensorsFile::open(file).tensors().size());
        const QString error = test::errorOf([&] { header.data("visual.proj"); });
        QVERIFY2(error.contains("only the header") && error.contains("openai_layout.safetensors"), qPrintable(error));
    }

    void bf16StaysClose()
    {
        RA_REQUIRE_GOLDEN();
        auto enc = ClipEncoder::load(test::goldenPath("clip-ref/openai_layout.safetensors"));
        enc->setPrecision(Precision::Bf16);
        const auto err = compareWithReference(*enc);
        QVERIFY2(err[0] < 5e-2 && err[2] < 5e-2, qPrintable(QString::number(err[0])));
    }

    void fp16WeightsArePromoted()
    {
        RA_REQUIRE_GOLDEN();
        auto tensors = referenceTensors();
        for (auto& [name, t] : tensors) t = t.to(torch::kHalf);
        const auto config = inferConfig(tensors, "x");
        writeOpenAiSafeTensors(path("fp16.safetensors"), tensors, config);
        auto enc = ClipEncoder::load(path("fp16.safetensors"));
        const auto err = compareWithReference(*enc);
        QVERIFY2(err[0] < 2e-2 && err[2] < 2e-2, qPrintable(QString::number(err[2])));
    }

    void exportRoundTrips()
    {
        RA_REQUIRE_GOLDEN();
        const auto ckpt = readCheckpoint(test::goldenPath("clip-ref/openai_layout.safetensors"));
        writeHuggingFaceFolder(path("hf-out"), ckpt.tensors, ckpt.config);
        writeOpenAiSafeTensors(path("openai-out.safetensors"), ckpt.tensors, ckpt.config);
        for (const char* p : {"hf-out", "openai-out.safetensors"}) {
            auto enc = ClipEncoder::load(path(p));
            const auto err = compareWithReference(*enc);
            QVERIFY2(err[0] <= 1e-4 && err[2] <= 1e-4, p);
        }
    }

    void parameterCountsMatchPublished()
    {
        QCOMPARE(ClipConfig::preset("ViT-B/32").parameterCount(), int64_t(151277313));
        QCOMPARE(ClipConfig::preset("ViT-B/16").parameterCount(), int64_t(149620737));
        QCOMPARE(ClipConfig::preset("ViT-L/14").parameterCount(), int64_t(427616513));
        QCOMPARE(ClipConfig::preset("ViT-L/14@336px").parameterCount(), int64_t(427944193));
        // The formula agrees with the real module.
        ClipConfig small;
        small.visionWidth = 64;
        small.visionLayers = 1;
        small.visionHeads = 1;
        small.textWidth = 64;
        small.textLayers = 1;
        small.textHeads = 1;
        small.imageResolution = 32;
        small.patchSize = 16;
        small.embedDim = 32;
        auto enc = ClipEncoder::random(small, 0);
        int64_t n = 0;
        for (const auto& p : enc->impl().model->parameters()) n += p.numel();
        QCOMPARE(n, small.parameterCount());
    }

    void otherShapesInferred()
    {
        ClipConfig c;
        c.visionWidth = 192;
        c.visionLayers = 3;
        c.visionHeads = 3;
        c.patchSize = 8;
        c.imageResolution = 48;
        c.textWidth = 128;
        c.textLayers = 2;
        c.textHeads = 2;
        c.contextLength = 20;
        c.embedDim = 40;
        auto enc = ClipEncoder::random(c, 1);
        std::map<std::string, torch::Tensor> tensors;
        for (const auto& p : enc->impl().model->named_parameters()) tensors[p.key()] = p.value().detach();
        writeOpenAiSafeTensors(path("shape.safetensors"), tensors, c);
        auto back = ClipEncoder::load(path("shape.safetensors"));
        QCOMPARE(back->config().imageResolution, 48);
        QCOMPARE(back->config().patchSize, 8);
        QCOMPARE(back->config().visionHeads, 3);
        QCOMPARE(back->config().contextLength, 20);
        const auto a = enc->encodeTexts({"a photo of a dog"}), b = back->encodeTexts({"a photo of a dog"});
        QVERIFY(a.data == b.data);
    }

    void badCheckpoints()
    {
        RA_REQUIRE_GOLDEN();
        expectError(path("nothing-here.safetensors"), "no such file");
        test::writeBytes(path("text.safetensors"), {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!'});
        expectError(path("text.safetensors"), "header length");
        auto bytes = test::readBytes(test::goldenPath("clip-ref/openai_layout.safetensors"));
        bytes.resize(bytes.size() / 2);
        test::writeBytes(path("truncated.safetensors"), bytes);
        expectError(path("truncated.safetensors"), "outside");

        auto tensors = referenceTensors();
        const auto config = inferConfig(tensors, "x");
        auto missing = tensors;
        missing.erase("visual.transformer.resblocks.1.mlp.c_fc.bias");
        writeOpenAiSafeTensors(path("missing.safetensors"), missing, config);
        expectError(path("missing.safetensors"), "visual.transformer.resblocks.1.mlp.c_fc.bias' is missing");

        auto wrong = tensors;
        wrong["visual.transformer.resblocks.0.attn.out_proj.weight"] = torch::zeros({128, 64});
        writeOpenAiSafeTensors(path("wrong.safetensors"), wrong, config);
        expectError(path("wrong.safetensors"), "has shape");

        writeOpenAiSafeTensors(path("other.safetensors"), {{"encoder.weight", torch::zeros({4, 4})}}, config);
        expectError(path("other.safetensors"), "not a CLIP checkpoint");

        QDir().mkpath(QString::fromStdString(path("emptyfolder")));
        expectError(path("emptyfolder"), "config.json");

        // A zip that is not TorchScript.
        test::writeBytes(path("fake.pt"), {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0});
        expectError(path("fake.pt"), "TorchScript");

        // Open Checkpoint naming the run store the Studio has open: never opened to look at it,
        // which would drop SQLite's locks on it (io/lockedfiles.h).
        const RunStore store(path("runs.sqlite"));
        expectError(path("runs.sqlite"), "a run store this program has open");
    }
};

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "tst_checkpoint.moc"
