// Zero-shot: the pre-trained model as it is; nothing trains, every alpha is the same model.
#include "train/trainingmethod.h"

#include "util/error.h"

namespace ra {

namespace {

class ZeroShotMethod final : public TrainingMethod {
public:
    std::vector<torch::Tensor> parameters() const override { return {}; }
    bool usesTexts() const override { return false; }
    torch::Tensor loss(const TrainBatch&) override { throw Error("zero-shot: nothing to train."); }
    void applyAlpha(double) override {}
    void revertAlpha() override {}
    std::map<std::string, torch::Tensor> state() const override { return {}; }
    void loadState(const std::map<std::string, torch::Tensor>&) override {}
};

} // namespace

std::unique_ptr<TrainingMethod> makeZeroShotMethod(const MethodContext&) { return std::make_unique<ZeroShotMethod>(); }

} // namespace ra
