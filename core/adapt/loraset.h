#pragma once
// LoRA on the attention query and value projections of every block (both towers): W_q += B_q A_q,
// W_v += B_v A_v with A Xavier-initialised and B zero, rank r. Scaling the deltas by alpha gives
// the same zero-shot <-> fine-tuned interpolation as R-Adapter's re-scaling. INTERNAL (torch).
#include "clip/clipmodel.h"

namespace ra {

class LoraSet {
public:
    LoraSet(ClipModel model, int rank);
    ~LoraSet();
    LoraSet(const LoraSet&) = delete;
    LoraSet& operator=(const LoraSet&) = delete;

    std::vector<std::pair<std::string, torch::Tensor>> namedParameters() const;
    std::vector<torch::Tensor> parameters() const;
    std::map<std::string, torch::Tensor> state() const;
    void loadState(const std::map<std::string, torch::Tensor>& state);
    void setScale(double alpha) { m_scale = alpha; }
    void merge(double alpha); // folds alpha * B A into in_proj_weight, hooks off
    void unmerge();
    void remove();

private:
    struct Slot {
        std::string name;
        Attention attention;
        torch::Tensor aq, bq, av, bv;
        torch::Tensor saved;
    };
    ClipModel m_model;
    std::vector<Slot> m_slots;
    double m_scale = 1.0;
    bool m_merged = false;
    void installHooks();
};

} // namespace ra
