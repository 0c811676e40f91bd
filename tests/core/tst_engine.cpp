// Training sessions on a small learnable world with the real model code: learning, exact resume,
// WiSE-FT and LoRA interpolation, exact export, and every bad-project-file case.
#include "clip/clipencoder.h"
#include "data/dataset.h"
#include "enginefixture.h"
#include "io/checkpoint.h"
#include "io/outputtarget.h"
#include "io/safetensors.h"
#include "store/runstore.h"
#include "eval/retrieval.h"
#include "eval/zeroshot.h"
#include "train/trainingsession.h"
#include "util/error.h"

#include <torch/serialize.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include <QTest>

using namespace ra;

namespace {

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

} // namespace

class TestEngine : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_project;

    Project project(const std::map<std::string, std::string>& settings = {})
    {
        Project p = Project::load(m_project.toStdString());
        for (const auto& [k, v] : settings) p.config.applySetting(k, v);
        return p;
    }
    std::string file(const char* name) { return (m_dir.path() + "/" + name).toStdString(); }

private Q_SLOTS:
    void initTestCase()
    {
        RA_REQUIRE_GOLDEN();
        m_project = test::makeColourWorld(m_dir.path());
    }

    void radapterLearnsAndKeepsZeroShotAtAlphaZero()
    {
        TrainingSession s(project());
        QCOMPARE(s.evalSetNames(), (std::vector<std::string>{"val", "grey"}));
        const double zeroShot = s.evaluate(0.0).at("val").primary();
        std::vector<double> losses;
        int evaluations = 0;
        const auto outcome = s.train(
            [&](const TrainProgress& p) {
                losses.push_back(p.loss);
                evaluations += p.evaluated;
                return true;
            },
            file("radapter.pt"), false);
        QCOMPARE(int(outcome.status), int(RunStatus::Finished));
        QCOMPARE(int(losses.size()), 40);
        QCOMPARE(evaluations, 2);
        const double early = (losses[0] + losses[1] + losses[2]) / 3, late = (losses[37] + losses[38] + losses[39]) / 3;
        QVERIFY2(late < early * 0.9, qPrintable(QString("loss %1 -> %2").arg(early).arg(late)));
        const double tuned = s.evaluate(1.0).at("val").primary();
        QVERIFY2(tuned > zeroShot + 0.2, qPrintable(QString("val %1 -> %2").arg(zeroShot).arg(tuned)));
        // alpha = 0 is exactly the zero-shot model again.
        QCOMPARE(s.evaluate(0.0).at("val").primary(), zeroShot);
    }

    // Epochs become steps from the training set's size; a constant schedule holds lr after warm-up.
    void epochsAndSchedule()
    {
        TrainingSession s(project(
            {{"epochs", "2.5"}, {"batch", "12"}, {"schedule", "constant"}, {"warmup", "2"}, {"eval_every", "0"}}));
        QCOMPARE(s.config().steps, 15); // ceil(2.5 * 72 pairs / 12)
        std::vector<double> lrs;
        s.train(
            [&](const TrainProgress& p) {
                lrs.push_back(p.learningRate);
                return true;
            },
            "", false);
        QCOMPARE(int(lrs.size()), 15);
        QCOMPARE(lrs[0], 0.01 * 1 / 2);
        for (size_t i = 2; i < lrs.size(); ++i) QCOMPARE(lrs[i], 0.01);
        QVERIFY(test::errorOf([] {
                    TrainConfig c;
                    c.applySetting("schedule", "linear");
                }).contains("not cosine or constant"));
    }

    void resumeIsExact()
    {
        auto settings = std::map<std::string, std::string>{
            {"steps", "16"}, {"eval_every", "0"}, {"checkpoint_every", "4"}};
        TrainingSession full(project(settings));
        full.train({}, file("full.pt"), false);

        {
            TrainingSession first(project(settings));
            first.train([](const TrainProgress& p) { return p.step < 7; }, file("resumed.pt"), false);
            QCOMPARE(first.stepsDone(), 7);
        }
        for (const int stepsExpected : {2, 0}) {
            // Where a halving rung stops it (stopAt 9): two steps on, then none and the checkpoint
            // untouched when it resumes already there.
            TrainingSession rung(project(settings));
            int steps = 0;
            const auto outcome = rung.train([&](const TrainProgress&) { return ++steps > 0; }, file("resumed.pt"), true,
                                            9);
            QCOMPARE(int(outcome.status), int(RunStatus::Interrupted));
            QCOMPARE(outcome.steps, 9);
            QCOMPARE(rung.stepsDone(), 9);
            QCOMPARE(steps, stepsExpected);
        }
        TrainingSession second(project(settings));
        second.train({}, file("resumed.pt"), true);
        QCOMPARE(second.stepsDone(), 16);
        torch::serialize::InputArchive a, b;
        a.load_from(file("full.pt"));
        b.load_from(file("resumed.pt"));
        int compared = 0;
        for (const std::string key :
             {"state/live/visual.0.attn.weight", "state/ema/text.1.mlp.weight", "state/live/visual.1.mlp.gate"}) {
            torch::Tensor x, y;
            a.read(key, x);
            b.read(key, y);
            QVERIFY2(torch::equal(x, y), key.c_str());
            ++compared;
        }
        QCOMPARE(compared, 3);
        QCOMPARE(full.evaluate(0.5).at("grey").primary(), second.evaluate(0.5).at("grey").primary());
    }

    // Early stopping counts evaluations without a gain on ID validation and ends the run on the
    // weights of its best evaluation: the same weights as a run that stopped at that step, also when
    // the run was interrupted and resumed between the two.
    void earlyStoppingKeepsTheBestEvaluation()
    {
        const std::map<std::string, std::string> plain{
            {"eval_every", "2"}, {"checkpoint_every", "1"}, {"schedule", "constant"}, {"warmup", "0"}};
        auto with = [&](std::map<std::string, std::string> extra) {
            extra.insert(plain.begin(), plain.end());
            return project(extra);
        };
        // No evaluation gains more than 100 points, so the first one (step 2) stays the best.
        const std::map<std::string, std::string> early{
            {"steps", "12"}, {"early_stop_patience", "2"}, {"early_stop_min_delta", "100"}};
        TrainingSession s(with(early));
        int evaluations = 0;
        const auto outcome = s.train(
            [&](const TrainProgress& p) {
                evaluations += p.evaluated;
                return true;
            },
            file("early.pt"), false);
        QCOMPARE(int(outcome.status), int(RunStatus::Finished));
        QCOMPARE(outcome.steps, 6);
        QCOMPARE(evaluations, 3);
        QVERIFY2(QString::fromStdString(outcome.message).contains("stopped early at step 6 of 12"),
                 outcome.message.c_str());
        QVERIFY2(QString::fromStdString(outcome.message).contains("the weights of step 2"), outcome.message.c_str());

        TrainingSession two(with({{"steps", "2"}}));
        two.train({}, file("two.pt"), false);
        TrainingSession six(with({{"steps", "6"}}));
        six.train({}, file("six.pt"), false);
        {
            TrainingSession first(with(early));
            first.train([](const TrainProgress& p) { return p.step < 3; }, file("early-resumed.pt"), false);
            QCOMPARE(first.stepsDone(), 3);
        }
        TrainingSession resumed(with(early));
        QCOMPARE(resumed.train({}, file("early-resumed.pt"), true).steps, 6);

        torch::serialize::InputArchive kept, resumedKept, atTwo, atSix;
        kept.load_from(file("early.pt"));
        resumedKept.load_from(file("early-resumed.pt"));
        atTwo.load_from(file("two.pt"));
        atSix.load_from(file("six.pt"));
        for (const std::string key : {"state/live/visual.0.attn.weight", "state/ema/text.1.mlp.weight"}) {
            torch::Tensor a, b, c, d;
            kept.read(key, a);
            resumedKept.read(key, b);
            atTwo.read(key, c);
            atSix.read(key, d);
            QVERIFY2(torch::equal(a, c), key.c_str());
            QVERIFY2(torch::equal(b, c), key.c_str());
            QVERIFY2(!torch::equal(a, d), key.c_str()); // training on changed them, so the test can fail
        }
        // The checkpoint says how many steps were trained; its weights are step 2's.
        torch::Tensor steps;
        kept.read("step", steps);
        QCOMPARE(steps.item<int64_t>(), int64_t(6));
        QCOMPARE(s.evaluate(0.5).at("grey").primary(), two.evaluate(0.5).at("grey").primary());
    }

    // Early stopping needs an ID validation set to watch and periodic evaluations to count.
    void earlyStoppingIsRefusedWithoutItsEvaluations()
    {
        Project noVal = project({{"early_stop_patience", "3"}});
        noVal.val.clear();
        const QString error = test::errorOf([&] { TrainingSession s(noVal); });
        QVERIFY2(error.contains("early_stop_patience") && error.contains(QString::fromStdString(noVal.path)),
                 qPrintable(error));
        QVERIFY(test::errorOf([&] {
                    project({{"early_stop_patience", "3"}, {"eval_every", "0"}}).config.validate();
                }).contains("eval_every"));
        QVERIFY(test::errorOf([&] { project({{"early_stop_patience", "-1"}}); }).contains("early_stop_patience"));
    }

    // Evaluations are kept for the weights they saw, so asking twice costs nothing, but a kept
    // result never outlives a change of the weights: a loaded checkpoint, a training step.
    void evaluationsFollowTheWeights()
    {
        const auto settings = std::map<std::string, std::string>{{"eval_every", "0"}, {"checkpoint_every", "0"}};
        TrainingSession trained(project(settings));
        trained.train({}, file("followed.pt"), false);
        const auto after = trained.evaluate(1.0).at("val").classification.predictions;
        QVERIFY(trained.evaluate(1.0).at("val").classification.predictions == after);

        TrainingSession loaded(project(settings));
        const auto before = loaded.evaluate(1.0).at("val").classification.predictions; // the zero-shot model
        QVERIFY(before != after); // training changed some prediction, so the checks below can fail
        loaded.loadState(file("followed.pt"));
        QVERIFY(loaded.evaluate(1.0).at("val").classification.predictions == after);

        TrainingSession stepped(project(settings));
        QVERIFY(stepped.evaluate(1.0).at("val").classification.predictions == before);
        stepped.train({}, "", false);
        QVERIFY(stepped.evaluate(1.0).at("val").classification.predictions == after);
    }

    // Every method through the one session: an interrupted and resumed run ends exactly where an
    // uninterrupted one does, alpha 0 is the pre-trained model, applying an alpha for an
    // evaluation leaves the trained state as it was, and only the adapter methods export adapters.
    void everyMethodResumesAndInterpolates_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<bool>("hasAdapterExport");
        QTest::newRow("radapter") << "radapter" << true;
        QTest::newRow("lora") << "lora" << true;
        QTest::newRow("linear-probe") << "linear-probe" << false;
        QTest::newRow("finetune") << "finetune" << false;
        QTest::newRow("wise-ft") << "wise-ft" << false;
    }
    void everyMethodResumesAndInterpolates()
    {
        QFETCH(QString, method);
        QFETCH(bool, hasAdapterExport);
        const std::string m = method.toStdString();
        const auto settings = std::map<std::string, std::string>{
            {"method", m}, {"steps", "6"}, {"lr", "0.002"}, {"eval_every", "0"}, {"checkpoint_every", "0"}};
        TrainingSession full(project(settings));
        QVERIFY(full.trainableParameterCount() > 0);
        QCOMPARE(int(full.train({}, file((m + "-full.pt").c_str()), false).status), int(RunStatus::Finished));
        {
            TrainingSession first(project(settings));
            first.train([](const TrainProgress& p) { return p.step < 3; }, file((m + "-resumed.pt").c_str()), false);
            QCOMPARE(first.stepsDone(), 3);
        }
        TrainingSession resumed(project(settings));
        resumed.train({}, file((m + "-resumed.pt").c_str()), true);
        QCOMPARE(resumed.stepsDone(), 6);

        const double before = full.evaluate(0.6).at("grey").primary();
        QCOMPARE(resumed.evaluate(0.6).at("grey").primary(), before);
        full.evaluate(0.2); // applies and reverts another alpha
        QCOMPARE(full.evaluate(0.6).at("grey").primary(), before);

        full.exportMerged(1.0, "openai", file((m + "-full1.safetensors").c_str()));
        resumed.exportMerged(1.0, "openai", file((m + "-resumed1.safetensors").c_str()));
        full.exportMerged(0.0, "openai", file((m + "-full0.safetensors").c_str()));
        const auto a = readCheckpoint(file((m + "-full1.safetensors").c_str())).tensors;
        const auto b = readCheckpoint(file((m + "-resumed1.safetensors").c_str())).tensors;
        const auto zero = readCheckpoint(file((m + "-full0.safetensors").c_str())).tensors;
        const auto original = readCheckpoint(test::goldenPath("clip-ref/openai_layout.safetensors")).tensors;
        for (const auto& [key, t] : a) {
            QVERIFY2(torch::equal(t, b.at(key)), key.c_str());
            QVERIFY2(maxAbsDiff(zero.at(key), original.at(key)) < 1e-6, key.c_str());
        }
        const QString adapters = test::errorOf(
            [&] { full.exportAdapters(file((m + "-adapters.safetensors").c_str())); });
        QCOMPARE(adapters.isEmpty(), hasAdapterExport);
    }

    void wiseFtInterpolatesWeights()
    {
        TrainingSession s(project({{"method", "wise-ft"}, {"steps", "6"}, {"lr", "0.001"}, {"eval_every", "0"}}));
        QCOMPARE(s.config().evalAlpha(), 0.5);
        s.train({}, file("wise.pt"), false);
        for (const char* a : {"0", "0.5", "1"})
            s.exportMerged(ra::test::number(a), "openai", file((std::string("wise") + a + ".safetensors").c_str()));
        const auto w0 = readCheckpoint(file("wise0.safetensors")).tensors,
                   w5 = readCheckpoint(file("wise0.5.safetensors")).tensors,
                   w1 = readCheckpoint(file("wise1.safetensors")).tensors;
        const auto original = readCheckpoint(test::goldenPath("clip-ref/openai_layout.safetensors")).tensors;
        const std::string key = "visual.transformer.resblocks.1.mlp.c_fc.weight";
        QVERIFY(torch::equal(w0.at(key), original.at(key)));
        QVERIFY(maxAbsDiff(w1.at(key), original.at(key)) > 1e-5);
        QVERIFY(maxAbsDiff(w5.at(key), (w0.at(key) + w1.at(key)) * 0.5) < 1e-6);
        // The text tower is not fine-tuned.
        QVERIFY(torch::equal(w1.at("transformer.resblocks.0.attn.in_proj_weight"),
                             original.at("transformer.resblocks.0.attn.in_proj_weight")));
    }

    void loraInterpolatesWeights()
    {
        TrainingSession s(project({{"method", "lora"}, {"lora_rank", "2"}, {"steps", "6"}, {"eval_every", "0"}}));
        QCOMPARE(s.trainableParameterCount(), int64_t(2 * (2 * 2 * 2 * 128) + 2 * (2 * 2 * 2 * 64)));
        s.train({}, file("lora.pt"), false);
        s.exportMerged(0.0, "openai", file("lora0.safetensors"));
        s.exportMerged(0.5, "openai", file("lora5.safetensors"));
        s.exportMerged(1.0, "openai", file("lora1.safetensors"));
        const auto w0 = readCheckpoint(file("lora0.safetensors")).tensors,
                   w5 = readCheckpoint(file("lora5.safetensors")).tensors,
                   w1 = readCheckpoint(file("lora1.safetensors")).tensors;
        const std::string key = "visual.transformer.resblocks.0.attn.in_proj_weight";
        QVERIFY(maxAbsDiff(w1.at(key), w0.at(key)) > 1e-7);
        QVERIFY(maxAbsDiff(w5.at(key), (w0.at(key) + w1.at(key)) * 0.5) < 1e-6);
        // Keys are untouched (LoRA adapts q and v only).
        QVERIFY(torch::equal(w1.at(key).slice(0, 128, 256), w0.at(key).slice(0, 128, 256)));
    }

    void exportedModelEmbedsLikeTheRun()
    {
        TrainingSession s(project({{"steps", "10"}, {"eval_every", "0"}}));
        s.train({}, file("export.pt"), false);
        s.exportMerged(0.7, "openai", file("merged.safetensors"));
        s.exportMerged(0.7, "hf", file("merged-hf"));
        const auto image = test::goldenPath("clip-ref/img1.png");
        const auto run = s.embedImages(0.7, {image}), runText = s.embedTexts(0.7, {"a red square"});
        for (const char* exported : {"merged.safetensors", "merged-hf"}) {
            auto enc = ClipEncoder::load(file(exported));
            const auto img = enc->encodeImageFiles({image}), txt = enc->encodeTexts({"a red square"});
            QVERIFY(test::relativeError(img.data, std::vector<double>(run.data.begin(), run.data.end())) <= 1e-5);
            QVERIFY(test::relativeError(txt.data, std::vector<double>(runText.data.begin(), runText.data.end())) <=
                    1e-5);
        }
        s.exportAdapters(file("adapters.safetensors"));
        QVERIFY(QFile::exists(QString::fromStdString(file("adapters.safetensors"))));
    }

    // Fine-tuning's trained head has no place in CLIP's layouts: it goes to its own file beside
    // the model, and the export with it classifies exactly as the run does at that alpha.
    void fineTuningExportKeepsItsHead()
    {
        TrainingSession s(
            project({{"method", "wise-ft"}, {"steps", "10"}, {"eval_every", "0"}, {"precision", "fp32"}}));
        s.train({}, {}, false);
        const double alpha = 0.6;
        const ClassificationResult run = s.evaluate(alpha).at("val").classification;
        s.exportMerged(alpha, "openai", file("tuned.safetensors"));
        s.exportMerged(alpha, "hf", file("tuned-hf"));
        const ImageDataset val = loadImageDataset(project().val);
        std::vector<int> labels;
        for (const auto& sample : val.samples) labels.push_back(sample.label);
        for (const auto& [model, headFile] : std::vector<std::pair<std::string, std::string>>{
                 {"tuned.safetensors", "tuned.head.safetensors"},
                 {"tuned-hf", "tuned-hf/classification_head.safetensors"}}) {
            const SafeTensorsFile f = SafeTensorsFile::open(file(headFile.c_str()));
            QCOMPARE(f.metadata().at("class_names"), std::string(R"(["blue","green","red"])"));
            const TensorInfo& info = f.info("weight");
            FloatMatrix head{info.shape[0], info.shape[1], std::vector<float>(size_t(info.numel()))};
            std::memcpy(head.data.data(), f.data("weight"), head.data.size() * sizeof(float));
            auto encoder = ClipEncoder::load(file(model.c_str()));
            const ClassificationResult exported = classify(encodeDataset(*encoder, val, 64), head, labels);
            QCOMPARE(exported.predictions, run.predictions);
        }
        // R-Adapter has no head beside its weights: nothing more is written.
        TrainingSession r(project({{"steps", "2"}, {"eval_every", "0"}}));
        r.train({}, {}, false);
        r.exportMerged(1.0, "openai", file("adapted.safetensors"));
        QVERIFY(!QFile::exists(QString::fromStdString(file("adapted.head.safetensors"))));
    }

    // classifyImages ranks as evaluation does, for R-Adapter (the zero-shot head of the adapted text
    // tower) and fine-tuning (its trained head), at several alphas; rows are probabilities.
    void classifiedImagesAreRankedAsEvaluationRanksThem()
    {
        const ImageDataset val = loadImageDataset(project().val);
        std::vector<std::string> paths;
        for (const auto& sample : val.samples) paths.push_back(sample.path);
        for (const char* method : {"radapter", "finetune"}) {
            TrainingSession s(
                project({{"method", method}, {"steps", "6"}, {"eval_every", "0"}, {"precision", "fp32"}}));
            s.train({}, {}, false);
            QCOMPARE(s.classNames(), (std::vector<std::string>{"blue", "green", "red"}));
            for (double alpha : {0.0, 0.5, 1.0}) {
                const ClassificationResult run = s.evaluate(alpha).at("val").classification;
                const FloatMatrix p = s.classifyImages(alpha, paths);
                QCOMPARE(p.rows, int64_t(paths.size()));
                QCOMPARE(p.cols, int64_t(3));
                for (int64_t i = 0; i < p.rows; ++i) {
                    const float* row = p.row(i);
                    QVERIFY(std::abs(row[0] + row[1] + row[2] - 1.0f) < 1e-5f);
                    QCOMPARE(int(std::max_element(row, row + 3) - row), run.predictions[size_t(i)]);
                }
            }
        }
        TrainingSession s(project({{"steps", "1"}}));
        try {
            s.classifyImages(0.5, {file("missing.png")});
            QFAIL("an unreadable image was classified");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find(file("missing.png")) == 0, e.what());
        }
    }

    // The embedding map's data: a set's embeddings at an alpha come with the predictions evaluation
    // makes of them, for R-Adapter (zero-shot head of the adapted text tower) and fine-tuning (its
    // trained head); a limit takes samples spread over the set, embedded as the whole set's are.
    void setEmbeddingsAreWhatEvaluationScores()
    {
        for (const char* method : {"radapter", "finetune"}) {
            TrainingSession s(
                project({{"method", method}, {"steps", "6"}, {"eval_every", "0"}, {"precision", "fp32"}}));
            s.train({}, {}, false);
            for (double alpha : {0.0, 1.0})
                for (const std::string set : {"val", "grey"}) {
                    const ClassificationResult run = s.evaluate(alpha).at(set).classification;
                    const SetEmbeddings all = s.embedEvaluationSet(alpha, set);
                    QCOMPARE(all.predictions, run.predictions);
                    QCOMPARE(all.images.rows, int64_t(run.predictions.size()));
                    for (size_t i = 0; i < all.labels.size(); ++i)
                        QCOMPARE(all.labels[i], s.dataset(set).samples[i].label);
                    QCOMPARE(all.classes.rows, int64_t(3));
                    for (int64_t c = 0; c < 3; ++c) {
                        double norm = 0;
                        for (int64_t k = 0; k < all.classes.cols; ++k)
                            norm += all.classes.at(c, k) * all.classes.at(c, k);
                        QVERIFY(std::abs(norm - 1) < 1e-5);
                    }
                    const SetEmbeddings few = s.embedEvaluationSet(alpha, set, 5);
                    QCOMPARE(few.samples.size(), size_t(5));
                    QCOMPARE(few.samples.front(), int64_t(0));
                    QVERIFY(few.samples.back() >= int64_t(all.labels.size()) * 3 / 4); // spread, not the first five
                    for (size_t i = 0; i < 5; ++i) {
                        const auto row = few.samples[i];
                        QCOMPARE(few.predictions[i], run.predictions[size_t(row)]);
                        for (int64_t k = 0; k < few.images.cols; ++k)
                            QVERIFY(std::abs(few.images.at(int64_t(i), k) - all.images.at(row, k)) < 1e-5f);
                    }
                }
        }
        TrainingSession s(project({{"steps", "1"}}));
        try {
            s.embedEvaluationSet(0.5, "nowhere");
            QFAIL("a set that does not exist was embedded");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("nowhere") != std::string::npos, e.what());
        }
    }

    // What training sees: a step's samples are the same whenever asked, each a crop at the model's
    // resolution of a training image of its class with a prompt naming that class; asking first
    // changes nothing about the training that follows (same losses).
    void trainingSamplesAreWhatAStepSees()
    {
        auto losses = [&](bool previewFirst) {
            TrainingSession s(project({{"steps", "3"}, {"eval_every", "0"}, {"precision", "fp32"}}));
            if (previewFirst) s.trainingSamples(0, 4);
            std::vector<double> out;
            s.train(
                [&](const TrainProgress& p) {
                    out.push_back(p.loss);
                    return true;
                },
                {}, false);
            return out;
        };
        QCOMPARE(losses(true), losses(false));
        TrainingSession s(project({{"crop_min", "0.5"}, {"precision", "fp32"}}));
        const std::vector<TrainingSample> first = s.trainingSamples(0, 6), again = s.trainingSamples(0, 6);
        QCOMPARE(first.size(), size_t(6));
        const std::vector<TrainingSample> later = s.trainingSamples(1, 6);
        bool differs = false;
        for (size_t i = 0; i < first.size(); ++i) {
            QCOMPARE(first[i].rgb, again[i].rgb);
            QCOMPARE(first[i].text, again[i].text);
            differs = differs || first[i].rgb != later[i].rgb;
            QVERIFY(first[i].size > 0);
            QCOMPARE(first[i].rgb.size(), size_t(first[i].size) * size_t(first[i].size) * 3);
            const std::string& cls = s.classNames().at(size_t(first[i].label));
            QCOMPARE(QFileInfo(QString::fromStdString(first[i].path)).dir().dirName(), QString::fromStdString(cls));
            QVERIFY2(first[i].text.find(cls) != std::string::npos, first[i].text.c_str());
        }
        QVERIFY(differs); // another step, other samples and crops
    }

    void recallAtKHandMade()
    {
        // Two images, three captions (two of image 0). Caption 2 (image 1) is closest to image 0.
        FloatMatrix images{2, 2, {1, 0, 0, 1}};
        FloatMatrix texts{3, 2, {0.8f, 0.6f, 0.6f, 0.8f, 0.95f, 0.31f}};
        const auto r = recallAtK(images, texts, {0, 0, 1});
        // Image 0: its best caption (0.8) is beaten by caption 2 (0.95). Image 1: its caption (0.31)
        // is beaten by both others. Caption 0 ranks image 0 first; captions 1 and 2 do not.
        QCOMPARE(r.imageToText[0], 0.0);
        QCOMPARE(r.imageToText[1], 1.0);
        QCOMPARE(r.textToImage[0], 1.0 / 3.0);
        QCOMPARE(r.textToImage[1], 1.0);
    }

    void retrievalProjectTrains()
    {
        // Captions of the colour world: two per training image; captions of one image are positives.
        const QString dir = m_dir.path();
        test::writeColourCaptions(dir);
        Project p = Project::load((dir + "/retrieval.json").toStdString());
        QCOMPARE(p.config.evalAlpha(), 0.8);
        TrainingSession s(p);
        QVERIFY(s.isRetrieval());
        const auto before = s.evaluate(0.0).at("val");
        QVERIFY(before.isRetrieval);
        QCOMPARE(before.retrieval.images, 12);
        QCOMPARE(before.retrieval.captions, 24);
        const auto outcome = s.train({}, file("retrieval.pt"), false);
        QCOMPARE(int(outcome.status), int(RunStatus::Finished));
        const auto after = s.evaluate(1.0).at("val");
        QVERIFY(after.metrics().count("r10_t2i"));
        QVERIFY(after.retrieval.textToImage[2] >= after.retrieval.textToImage[0]);
        // A caption text that recurs (the four red squares' "a red square.") is one row, to the
        // bit, wherever it stands: ties between its copies then favour the right one (recallAtK)
        // instead of being broken by rounding; the embedding map's pairs come from the same rows.
        const auto pairs = s.embedCaptionPairs(0.8, "val");
        QCOMPARE(pairs.images.rows, int64_t(12));
        for (int64_t i = 0; i < 12; ++i)
            for (int64_t j = 0; j < 12; ++j)
                QCOMPARE(std::equal(pairs.captions.row(i), pairs.captions.row(i) + pairs.captions.cols,
                                    pairs.captions.row(j)),
                         i / 4 == j / 4); // the set lists its images colour by colour, four each
        // Classification-only methods are refused for retrieval projects.
        QVERIFY(test::errorOf([&] {
                    Project::load((dir + "/bad-retrieval.json").toStdString());
                }).contains("needs class labels"));
    }

    void badProjectFiles_data()
    {
        QTest::addColumn<QString>("content");
        QTest::addColumn<QString>("fragment");
        for (const auto& [name, content, fragment] : test::badProjectCases())
            QTest::newRow(name.c_str()) << QString::fromStdString(content) << QString::fromStdString(fragment);
    }
    void badProjectFiles()
    {
        QFETCH(QString, content);
        QFETCH(QString, fragment);
        const std::string path = file("bad.json");
        std::ofstream(path) << content.toStdString();
        const QString message = test::errorOf([&] { Project::load(path); });
        QVERIFY2(message.startsWith(QString::fromStdString(path)), qPrintable(message));
        QVERIFY2(message.contains(fragment), qPrintable(message));
    }

    // Sets too large to keep in memory are decoded chunk by chunk at each evaluation (an
    // ImageNet-sized set would be 30 GB as one tensor): the same results as from the cache.
    void uncachedEvaluationGivesTheSameResults()
    {
        TrainingSession cached(project({{"precision", "fp32"}, {"steps", "3"}}));
        TrainingSession streamed(project({{"precision", "fp32"}, {"steps", "3"}}));
        streamed.setEvalImageCacheLimit(0);
        for (TrainingSession* s : {&cached, &streamed})
            QCOMPARE(int(s->train({}, {}, false).status), int(RunStatus::Finished));
        for (const double alpha : {0.0, 1.0}) {
            const auto a = cached.evaluate(alpha), b = streamed.evaluate(alpha);
            for (const std::string set : {"val", "grey"}) {
                QCOMPARE(b.at(set).classification.predictions, a.at(set).classification.predictions);
                QCOMPARE(b.at(set).primary(), a.at(set).primary());
            }
        }
    }

    // An OOD set may hold a subset of the training classes (ImageNet-R and -A: 200 of 1,000),
    // named as the training set's are; it is scored among its own classes, exactly as a
    // zero-shot classifier over those classes alone. A class the training set lacks is named.
    void oodSetsMayHoldASubsetOfTheClasses()
    {
        const QString subset = m_dir.path() + "/two-colours", bad = m_dir.path() + "/with-purple";
        for (const auto& [folder, from, to] : std::vector<std::tuple<QString, QString, QString>>{
                 {subset, "red", "red"}, {subset, "blue", "blue"}, {bad, "red", "red"}, {bad, "blue", "purple"}}) {
            QDir().mkpath(folder + "/" + to);
            for (const QString& f : QDir(m_dir.path() + "/ood/" + from).entryList(QDir::Files))
                QVERIFY(QFile::copy(m_dir.path() + "/ood/" + from + "/" + f, folder + "/" + to + "/" + f));
        }
        Project p = project({{"precision", "fp32"}});
        p.ood.emplace_back("two-colours", subset.toStdString());
        TrainingSession session(p);
        const ClassificationResult r = session.evaluate(0.0).at("two-colours").classification; // zero-shot
        QCOMPARE(r.perClassCount, (std::vector<int>{8, 8}));

        auto encoder = ClipEncoder::load(p.model);
        const ImageDataset ds = loadImageDataset(subset.toStdString());
        QCOMPARE(ds.classNames, (std::vector<std::string>{"blue", "red"}));
        std::vector<int> labels;
        for (const auto& sample : ds.samples) labels.push_back(sample.label);
        const ClassificationResult alone = classify(encodeDataset(*encoder, ds, 64),
                                                    zeroShotHead(*encoder, ds.classNames, p.templates), labels);
        QCOMPARE(r.predictions, alone.predictions);
        QCOMPARE(r.top1, alone.top1);

        Project q = project();
        q.ood.emplace_back("with-purple", bad.toStdString());
        QString message = test::errorOf([&] { TrainingSession s(q); });
        QVERIFY2(message.contains("with-purple: has 2 classes but the training set has 3; an OOD set may hold fewer") &&
                     message.contains("'purple' is not one of them"),
                 qPrintable(message));
        Project v = project();
        v.val = subset.toStdString(); // ID sets keep every class
        message = test::errorOf([&] { TrainingSession s(v); });
        QVERIFY2(message.endsWith("two-colours: has 2 classes but the training set has 3."), qPrintable(message));
    }

    // A project whose class names do not match its training set's classes is named as such.
    void classNamesMustMatchTheTrainingSet()
    {
        Project p = project();
        p.classNames = {"red", "green"};
        const QString message = test::errorOf([&] { TrainingSession s(p); });
        QVERIFY2(message.contains("\"classnames\" lists 2 names but the training set") &&
                     message.contains("has 3 classes"),
                 qPrintable(message));
    }

    // Every value a form offers is one the settings accept and write back unchanged, and every
    // offered setting is one that has help and appears in a run's params.
    void settingChoicesAreAcceptedSettings()
    {
        const auto params = TrainConfig{}.toParams();
        for (const auto& [key, values] : settingChoices()) {
            QVERIFY2(settingHelp().count(key) && params.count(key), key.c_str());
            QVERIFY(!values.empty());
            for (const auto& v : values) {
                TrainConfig c;
                c.applySetting(key, v);
                QCOMPARE(QString::fromStdString(c.toParams().at(key)), QString::fromStdString(v));
            }
        }
        QCOMPARE(settingChoices().at("method").size(), size_t(6));
    }

    void projectRoundTrip()
    {
        Project p = project({{"lr", "0.002"}, {"method", "lora"}});
        p.save(file("copy.json"));
        const Project back = Project::load(file("copy.json"));
        QCOMPARE(back.config.learningRate, 0.002);
        QCOMPARE(int(back.config.method), int(Method::Lora));
        QCOMPARE(back.train, p.train);
        QCOMPARE(back.ood.size(), size_t(1));
        const Project snap = Project::fromSnapshot(p.snapshot());
        QCOMPARE(snap.val, p.val);
        QCOMPARE(snap.config.toParams(), p.config.toParams());
    }

    // Save As names any file, and its "replace?" is quickly confirmed: a project replaces another
    // project or an empty file, never a run store, a model or a text (it wrote over all of them).
    void projectReplacesOnlyAProject()
    {
        const Project p = project({});
        p.save(file("first.json"));
        p.save(file("first.json")); // a project over a project
        std::ofstream{file("empty.json")};
        p.save(file("empty.json"));
        QCOMPARE(Project::load(file("empty.json")).train, p.train);
        {
            RunStore store(file("runs.sqlite"));
        }
        auto writeText = [](const std::string& path, const std::string& text) { std::ofstream(path) << text; };
        ra::test::writeBytes(file("model.safetensors"),
                             {8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '});
        writeText(file("notes.json"), "{\"format\": \"something-else\"}");
        writeText(file("labels.txt"), "zero\none\n");
        for (const char* name : {"runs.sqlite", "model.safetensors", "notes.json", "labels.txt"}) {
            const std::vector<uint8_t> before = ra::test::readBytes(file(name));
            try {
                p.save(file(name));
                QFAIL(qPrintable(QString("a project replaced %1").arg(name)));
            } catch (const Error& e) {
                QVERIFY2(QString::fromUtf8(e.what()).contains("nothing was written"), e.what());
            }
            QVERIFY(ra::test::readBytes(file(name)) == before);
        }
        // Nor does a plot or a runs export replace a project, even one whose "format" comes after
        // a thousand class names (its keys are written in order).
        Project big = p;
        for (int i = 0; i < 1000; ++i) big.classNames.push_back("class number " + std::to_string(i));
        big.save(file("big.json"));
        try {
            checkSaveAsTarget(file("big.json"));
            QFAIL("a plot could replace a project");
        } catch (const Error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("radapter project"), e.what());
        }
        try {
            p.save(file(""));
            QFAIL("a project replaced a folder");
        } catch (const Error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("is a folder"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
