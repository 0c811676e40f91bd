// R-Adapter's building blocks on small random models: MPM-NCE against the official loss, the
// parameter count, exact merging, EMA arithmetic, dropping rates and low-rank shapes.
#include "adapt/adapterset.h"
#include "clip/clipencoder_p.h"
#include "losses/losses.h"
#include "testutil.h"
#include "util/runtime.h"

#include <nlohmann/json.hpp>

#include <QTest>
#include <fstream>
#include <functional>

using namespace ra;

namespace {

torch::Tensor tensor2d(const nlohmann::json& rows)
{
    const auto v = rows.get<std::vector<std::vector<double>>>();
    auto t = torch::empty({int64_t(v.size()), int64_t(v[0].size())}, torch::kFloat64);
    for (size_t i = 0; i < v.size(); ++i)
        for (size_t j = 0; j < v[i].size(); ++j) t[int64_t(i)][int64_t(j)] = v[i][j];
    return t;
}

double relErr(const torch::Tensor& a, const torch::Tensor& b)
{
    return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>() / b.abs().max().item<double>();
}

ClipConfig smallConfig()
{
    ClipConfig c;
    c.visionWidth = 64;
    c.visionLayers = 2;
    c.visionHeads = 2;
    c.patchSize = 8;
    c.imageResolution = 16;
    c.textWidth = 32;
    c.textLayers = 2;
    c.textHeads = 1;
    c.contextLength = 12;
    c.embedDim = 24;
    return c;
}

void randomiseAdapters(AdapterSet& set)
{
    torch::NoGradGuard g;
    for (auto& p : set.parameters()) p.copy_(torch::randn_like(p) * 0.05 + (p.dim() == 0 ? 0.1 : 0.0));
}

} // namespace

class TestAdapters : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { setThreadCount(0); }

    void mpmNceMatchesOfficialLoss()
    {
        RA_REQUIRE_GOLDEN();
        std::ifstream in(test::goldenPath("mpm_nce.json"));
        const auto golden = nlohmann::json::parse(in);
        int cases = 0;
        for (const auto& c : golden["cases"]) {
            auto img = tensor2d(c["image_features"]).requires_grad_(true);
            auto txt = tensor2d(c["text_features"]).requires_grad_(true);
            const auto labelsVec = c["labels"].get<std::vector<int64_t>>();
            auto labels = torch::tensor(labelsVec, torch::kInt64);
            auto loss = mpmNceLoss(img, txt, labels, c["epsilon"].get<double>(), c["margin"].get<double>(),
                                   c["logit_scale"].get<double>());
            loss.backward();
            const double want = c["loss"].get<double>();
            QVERIFY2(std::abs(loss.item<double>() - want) / std::abs(want) <= 1e-5,
                     qPrintable(QString::number(loss.item<double>())));
            QVERIFY(relErr(img.grad(), tensor2d(c["grad_image"])) <= 1e-5);
            QVERIFY(relErr(txt.grad(), tensor2d(c["grad_text"])) <= 1e-5);
            // And in float32, as training runs it.
            auto loss32 = mpmNceLoss(img.detach().to(torch::kFloat32), txt.detach().to(torch::kFloat32), labels,
                                     c["epsilon"].get<double>(), c["margin"].get<double>(),
                                     c["logit_scale"].get<double>());
            QVERIFY(std::abs(loss32.item<double>() - want) / std::abs(want) <= 1e-5);
            ++cases;
        }
        QCOMPARE(cases, 4);
    }

    void mpmNceSingleLabelBatchIsFinite()
    {
        auto f = torch::nn::functional::normalize(torch::randn({4, 8}),
                                                  torch::nn::functional::NormalizeFuncOptions().dim(1));
        auto loss = mpmNceLoss(f, f, torch::zeros({4}, torch::kInt64), 0.02, 0.05, 100);
        QVERIFY(std::isfinite(loss.item<double>()));
    }

    void mlpGradientMatchesAutograd()
    {
        torch::manual_seed(2);
        Mlp mlp(16, Activation::QuickGelu);
        auto x = torch::randn({3, 5, 16}, torch::requires_grad());
        mlp->forward(x).pow(2).sum().backward();
        const auto grad = x.grad().clone();
        auto y = x.detach().clone().requires_grad_(true);
        auto h = torch::nn::functional::linear(y, mlp->c_fc->weight, mlp->c_fc->bias);
        torch::nn::functional::linear(h * torch::sigmoid(h * 1.702), mlp->c_proj->weight, mlp->c_proj->bias)
            .pow(2)
            .sum()
            .backward();
        QVERIFY(torch::allclose(grad, y.grad(), 1e-5, 1e-6));
        // Frozen weights take the oneDNN path; the input gradient must not change.
        for (auto& p : mlp->parameters()) p.set_requires_grad(false);
        auto z = x.detach().clone().requires_grad_(true);
        mlp->forward(z).pow(2).sum().backward();
        QVERIFY(torch::allclose(grad, z.grad(), 1e-4, 1e-5));
    }

    void fullRankCountOnViTB32()
    {
        auto enc = ClipEncoder::random(ClipConfig::preset("ViT-B/32"), 0);
        AdapterSet set(enc->impl().model, AdapterConfig{});
        QCOMPARE(set.weightCount(), int64_t(20447232));
        QCOMPARE(set.gateCount(), int64_t(48));
    }

    void lowRankShapes()
    {
        auto enc = ClipEncoder::random(smallConfig(), 0);
        AdapterConfig c;
        c.rank = 4;
        AdapterSet set(enc->impl().model, c);
        for (const auto& [name, p] : set.namedParameters()) {
            if (name.find(".down") != std::string::npos) QCOMPARE(p.size(0), int64_t(4));
            if (name.find(".up") != std::string::npos) {
                QCOMPARE(p.size(1), int64_t(4));
                QCOMPARE(p.abs().sum().item<double>(), 0.0); // B starts at zero: identity map
            }
        }
        QCOMPARE(set.weightCount(), int64_t(2 * 2 * (2 * 64 * 4) + 2 * 2 * (2 * 32 * 4)));
        c.rank = 64; // r >= d means full rank (the official code has this test inverted)
        AdapterSet full(ClipEncoder::random(smallConfig(), 0)->impl().model, c);
        QCOMPARE(full.weightCount(), int64_t(2 * 2 * 64 * 64 + 2 * 2 * 32 * 32));
    }

    void mergeIsExact()
    {
        auto enc = ClipEncoder::random(smallConfig(), 3);
        auto& model = enc->impl().model;
        torch::manual_seed(5);
        auto images = torch::randn({3, 3, 16, 16});
        auto tokens = torch::randint(1, 400, {3, 12}, torch::kInt64);
        tokens.select(1, 5).fill_(49407);
        torch::NoGradGuard g;
        const auto zeroShotImg = model->encodeImage(images), zeroShotTxt = model->encodeText(tokens);
        for (int rank : {0, 4}) {
            AdapterConfig c;
            c.rank = rank;
            AdapterSet set(model, c);
            randomiseAdapters(set);
            set.resetEmaToLive();
            set.setTraining(false);
            for (double alpha : {0.0, 0.5, 1.0, 1.3}) {
                set.setInferenceScale(alpha);
                const auto unmergedImg = model->encodeImage(images), unmergedTxt = model->encodeText(tokens);
                set.merge(alpha, /*useEma=*/false);
                const auto mergedImg = model->encodeImage(images), mergedTxt = model->encodeText(tokens);
                set.unmerge();
                QVERIFY2(relErr(mergedImg, unmergedImg) <= 1e-5,
                         qPrintable(QString::number(relErr(mergedImg, unmergedImg))));
                QVERIFY(relErr(mergedTxt, unmergedTxt) <= 1e-5);
                if (alpha == 0.0) {
                    QVERIFY(relErr(mergedImg, zeroShotImg) <= 1e-6);
                    QVERIFY(relErr(mergedTxt, zeroShotTxt) <= 1e-6);
                }
            }
            set.setInferenceScale(1.0);
            set.remove();
            // Unmerge restores the pre-trained weights exactly.
            QVERIFY(torch::equal(model->encodeImage(images), zeroShotImg));
        }
    }

    // Each tower computes only what its pooled output reads: the text tower stops at the batch's
    // last end-of-text token (under the causal mask, the whole-context function), and both run
    // their last block for the pooled position alone (the class token, each end-of-text token).
    // The same embeddings and the same adapter gradients as OpenAI's functions over every
    // position, for rows whose texts end at different places.
    void pooledTowersGiveTheWholeSequencesResult()
    {
        auto enc = ClipEncoder::random(smallConfig(), 4);
        auto& model = enc->impl().model;
        torch::manual_seed(6);
        auto tokens = torch::randint(1, 400, {3, 12}, torch::kInt64);
        const int64_t ends[] = {3, 7, 5};
        for (int64_t r = 0; r < 3; ++r) {
            tokens[r][ends[r]] = 49407;
            tokens[r].slice(0, ends[r] + 1).zero_(); // padding, as the tokenizer writes it
        }
        const auto images = torch::randn({3, 3, 16, 16});
        AdapterSet set(model, AdapterConfig{});
        randomiseAdapters(set);
        set.setTraining(false);
        auto wholeContext = [&] { // OpenAI's encode_text, all positions
            auto x = model->token_embedding(tokens) + model->positional_embedding;
            x = model->ln_final(model->transformer(x, model->causalMask));
            return torch::matmul(x.index({torch::arange(3), tokens.argmax(-1)}), model->text_projection);
        };
        auto everyPatch = [&] { // OpenAI's VisionTransformer.forward, all positions
            auto& v = model->visual;
            auto x = v->conv1(images).flatten(2).transpose(1, 2);
            x = torch::cat({v->class_embedding.view({1, 1, -1}).expand({3, 1, -1}), x}, 1) + v->positional_embedding;
            x = v->transformer(v->ln_pre(x), torch::Tensor());
            return torch::matmul(v->ln_post(x.select(1, 0)), v->proj);
        };
        auto gradients = [&](const torch::Tensor& out) {
            for (auto& p : set.parameters()) p.mutable_grad() = torch::Tensor();
            (out * torch::linspace(-1, 1, out.numel()).view(out.sizes())).sum().backward();
            std::vector<torch::Tensor> g;
            for (auto& p : set.parameters())
                if (p.grad().defined()) g.push_back(p.grad().clone());
            return g;
        };
        using Encode = std::function<torch::Tensor()>;
        const Encode text = [&] { return model->encodeText(tokens); };
        const Encode image = [&] { return model->encodeImage(images); };
        const std::pair<Encode, Encode> towers[] = {{wholeContext, text}, {everyPatch, image}};
        for (const auto& [full, fast] : towers) {
            const auto reference = full(), pooled = fast();
            QVERIFY2(relErr(pooled, reference) <= 1e-6, qPrintable(QString::number(relErr(pooled, reference))));
            const auto gFull = gradients(full()), gFast = gradients(fast());
            QCOMPARE(gFast.size(), gFull.size());
            QVERIFY(!gFull.empty());
            for (size_t i = 0; i < gFull.size(); ++i)
                QVERIFY2(relErr(gFast[i], gFull[i]) <= 1e-5, qPrintable(QString::number(relErr(gFast[i], gFull[i]))));
        }
        // Dropping per token draws a mask per position: the pooled last block draws the whole
        // sequence's and keeps each sample's own position, so with the same seed a training
        // forward is the every-position one (for text: every position up to the last end-of-text
        // token, where the text tower's masks end).
        set.remove();
        AdapterConfig perToken;
        perToken.granularity = DropGranularity::Token;
        perToken.dropProbability = 0.5;
        AdapterSet dropping(model, perToken);
        randomiseAdapters(dropping);
        dropping.setTraining(true);
        const Encode untilLastEnd = [&] {
            const auto eot = tokens.argmax(-1);
            const int64_t l = eot.max().item<int64_t>() + 1;
            auto x = model->token_embedding(tokens.narrow(1, 0, l)) + model->positional_embedding.narrow(0, 0, l);
            x = model->ln_final(model->transformer(x, model->causalMask.slice(0, 0, l).slice(1, 0, l)));
            return torch::matmul(x.index({torch::arange(3), eot}), model->text_projection);
        };
        const auto seeded = [](const Encode& encode) {
            DropMaskSeedScope seed(11);
            return encode();
        };
        const std::pair<Encode, Encode> dropped[] = {{untilLastEnd, text}, {everyPatch, image}};
        for (const auto& [full, fast] : dropped) {
            const auto reference = seeded(full), pooled = seeded(fast);
            QVERIFY2(relErr(pooled, reference) <= 1e-6, qPrintable(QString::number(relErr(pooled, reference))));
        }
    }

    void emaArithmetic()
    {
        auto enc = ClipEncoder::random(smallConfig(), 0);
        AdapterSet set(enc->impl().model, AdapterConfig{});
        const auto start = set.liveState();
        {
            torch::NoGradGuard g;
            for (auto& p : set.parameters()) p.fill_(1.0);
        }
        set.updateEma(0.9);
        set.updateEma(0.9);
        for (const auto& [name, ema] : set.emaState()) {
            // ema_2 = 0.81 * x0 + (1 - 0.81) * 1
            const auto want = start.at(name) * 0.81 + 0.19;
            QVERIFY(torch::allclose(ema, want, 1e-6, 1e-7));
        }
    }

    void droppedFractionMatchesP_data()
    {
        QTest::addColumn<int>("granularity");
        QTest::newRow("sample") << int(DropGranularity::Sample);
        QTest::newRow("batch") << int(DropGranularity::Batch);
        QTest::newRow("token") << int(DropGranularity::Token);
    }
    void droppedFractionMatchesP()
    {
        QFETCH(int, granularity);
        AdapterConfig c;
        c.dropProbability = 0.3;
        c.granularity = DropGranularity(granularity);
        RAdapter a(8, c);
        {
            torch::NoGradGuard g;
            a->weight.copy_(torch::eye(8));
            a->gate.fill_(1.0);
        }
        a->train(true);
        torch::manual_seed(11);
        int64_t dropped = 0, total = 0;
        for (int i = 0; i < 400; ++i) {
            auto h = torch::ones({6, 5, 8});
            auto out = a->forward(h).detach(); // 1 + mask: dropped -> 1, kept -> 1 + 1/(1-p)
            auto isDropped = out.select(2, 0).eq(1.0);
            dropped += isDropped.sum().item<int64_t>();
            total += isDropped.numel();
            if (c.granularity == DropGranularity::Batch)
                QVERIFY(isDropped.all().item<bool>() || isDropped.logical_not().all().item<bool>());
            if (c.granularity == DropGranularity::Sample)
                QVERIFY(torch::equal(isDropped, isDropped.select(1, 0).unsqueeze(1).expand_as(isDropped)));
            if (c.granularity == DropGranularity::Token)
                QVERIFY(torch::equal(isDropped, isDropped.select(0, 0).unsqueeze(0).expand_as(isDropped)));
            // Kept branches are rescaled by 1/(1-p).
            auto kept = out.select(2, 0).masked_select(isDropped.logical_not());
            if (kept.numel() > 0) QVERIFY(torch::allclose(kept, torch::full_like(kept, 1.0 + 1.0 / 0.7)));
        }
        QVERIFY2(std::abs(double(dropped) / total - 0.3) < 0.03, qPrintable(QString::number(double(dropped) / total)));
        a->train(false);
        QVERIFY(torch::allclose(a->forward(torch::ones({2, 3, 8})), torch::full({2, 3, 8}, 2.0)));
    }
};

QTEST_GUILESS_MAIN(TestAdapters)
#include "tst_adapters.moc"
