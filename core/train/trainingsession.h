#pragma once
// One training run of any method over a project: loads the model and datasets, trains with
// progress callbacks, evaluates at any alpha, saves/loads its state, exports merged models.
// Torch-free API (pimpl).
//
// Thread-safety: a session and everything it owns (model, tensors) belong to the thread that
// created it; the progress callback runs on that thread between steps. Functions throw ra::Error.
#include "eval/retrieval.h"
#include "eval/zeroshot.h"
#include "project/project.h"
#include "store/runstatus.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ra {

class Collective; // dist/collective.h

struct TrainProgress {
    int step = 0; // steps completed
    int totalSteps = 0;
    double loss = 0;
    double learningRate = 0;
    double elapsedSeconds = 0;
    double etaSeconds = 0;
    bool evaluated = false;                 // accuracy holds fresh evaluation results
    std::map<std::string, double> accuracy; // eval set -> primary metric at the run's alpha
    // Early stopping (early_stop_patience): the step of the best ID validation evaluation so far,
    // whose weights the run keeps if it stops; 0 without early stopping or before an evaluation.
    int bestStep = 0;
};
// Return false to stop the run (it ends as Interrupted with a checkpoint).
using ProgressFn = std::function<bool(const TrainProgress&)>;

// One evaluation set's result: classification accuracy or retrieval recall.
struct EvalResult {
    bool isRetrieval = false;
    ClassificationResult classification;
    RetrievalResult retrieval;
    // The curve metric: top-1 accuracy, or the mean of image->text and text->image Recall@1.
    double primary() const { return isRetrieval ? retrieval.meanRecallAt1() : classification.top1; }
    // Every metric by name: top1, top5; or r1_i2t, r5_i2t, r10_i2t, r1_t2i, r5_t2i, r10_t2i.
    std::map<std::string, double> metrics() const;
};

// One evaluation set's image embeddings at one alpha, as evaluation computes and scores them.
struct SetEmbeddings {
    FloatMatrix images;           // normalised, one row per sample taken
    std::vector<int64_t> samples; // which samples of the set: indices into dataset(set).samples
    std::vector<int> labels;      // per row
    std::vector<int> predictions; // per row: the class evaluation predicts at the alpha
    double accuracy = 0;          // the share of rows predicted right
    FloatMatrix classes;          // the head's rows for the set's classes, normalised, in its class order
};

// One training sample as a training step makes it: the random crop resized to the model's
// resolution (RGB bytes, before normalisation), its label and its text.
struct TrainingSample {
    int size = 0;             // width and height
    std::vector<uint8_t> rgb; // size x size x 3
    int label = 0;            // the class (classification) or the image (retrieval)
    std::string text;         // the prompt drawn for it, or its caption; empty for image-only methods
    std::string path;         // the training image it was cut from
};

struct TrainOutcome {
    RunStatus status = RunStatus::Finished;
    std::string message;
    int steps = 0;
};

class TrainingSession {
public:
    // Loads the model and every dataset of PROJECT. Throws ra::Error.
    explicit TrainingSession(const Project& project);
    ~TrainingSession();

    const Project& project() const;
    const TrainConfig& config() const;
    int64_t trainableParameterCount() const;
    int64_t adapterWeightCount() const; // R-Adapter: matrix entries; else 0
    int64_t adapterGateCount() const;
    // "val" and "test" (when the project has them) then the OOD set names.
    std::vector<std::string> evalSetNames() const;
    // The set the ID curve uses: "val" if present, else "test", else "train".
    std::string idSetName() const;
    const ImageDataset& dataset(const std::string& name) const; // classification projects

    // Trains from step 0, or from the checkpoint at STATEPATH when RESUME and it exists. Saves
    // the state atomically to STATEPATH every checkpoint_every steps and at the end. A NaN or Inf
    // loss stops the run as Failed and keeps the last good checkpoint. With early_stop_patience,
    // training ends once ID validation has stopped rising and the run keeps (and saves) the weights
    // of its best evaluation; the outcome's message says which. With STOPAT > 0 it stops as
    // Interrupted once STOPAT steps are done — at once, without a step, when the checkpoint it
    // resumed from is already that far (a halving search's rung: config/halvingsearch.h).
    TrainOutcome train(const ProgressFn& progress, const std::string& statePath, bool resume, int stopAt = 0);
    int stepsDone() const;

    // Adds an OOD evaluation set NAME read from PATH (a classification folder or CSV; a caption set
    // for retrieval runs), checked and cut to eval_limit like the project's own sets; evaluate(),
    // evalSetNames() and project().ood include it from then on. Throws ra::Error naming the file,
    // or the name when it is taken.
    void addEvaluationSet(const std::string& name, const std::string& path);

    // Data-parallel training: this session is one rank of COLLECTIVE's process group (every rank
    // makes its own session from the same project). Each step then takes this rank's share, batch
    // samples, of a global batch of batch x ranks; contrastive losses see the whole global batch
    // and gradients are all-reduced, so every rank steps identically and the result is that of one
    // process with the global batch. Only rank 0 writes checkpoints. Call before train().
    void setCollective(std::shared_ptr<Collective> collective);
    // With a collective: evaluate() outside train() is sharded too (every rank must then make the
    // same evaluate() calls, as a distributed sweep does): each rank encodes an equal share of
    // each set and every rank gets the whole set's results. Inside train() it always is.
    void setShardedEvaluation(bool sharded);
    // How many bytes of preprocessed evaluation images stay in memory between evaluations (1 GiB
    // by default; every set beyond it is decoded again, chunk by chunk, at each evaluation).
    void setEvalImageCacheLimit(int64_t bytes);

    // SHOULD_STOP (empty: never) is asked between training steps, between evaluation chunks of
    // 64 images and while a set's images are first decoded, so a long operation stops within
    // about one step or chunk: evaluate() and the embeddings then throw ra::Cancelled, train()
    // saves the state of its last whole step and returns Interrupted. Called on the session's
    // thread; it must be cheap and thread-safe (an atomic flag another thread sets).
    void setStopCheck(std::function<bool()> shouldStop);

    // Results on SETS (empty: all eval sets) with the trained state applied at ALPHA.
    std::map<std::string, EvalResult> evaluate(double alpha, const std::vector<std::string>& sets = {});
    bool isRetrieval() const;

    void saveState(const std::string& path) const;
    void loadState(const std::string& path);

    // The CLIP weights with the trained state folded in at ALPHA, written in LAYOUT ("openai": a
    // .safetensors file; "hf": a Hugging Face folder).
    void exportMerged(double alpha, const std::string& layout, const std::string& path);
    // Only the trained adapter (or LoRA) tensors, EMA copy when used, as .safetensors.
    void exportAdapters(const std::string& path) const;
    // Embeddings at ALPHA (the model is restored afterwards).
    FloatMatrix embedImages(double alpha, const std::vector<std::string>& paths);
    FloatMatrix embedTexts(double alpha, const std::vector<std::string>& texts);
    float logitScale() const;
    // Class probabilities [images, classes] of the images at PATHS with the trained state applied
    // at ALPHA: the softmax of the logits evaluation ranks by (the zero-shot head of the text tower
    // at ALPHA at the run's temperature, or the trained head), columns in classNames() order.
    // Classification runs; throws ra::Error naming an image that cannot be read.
    FloatMatrix classifyImages(double alpha, const std::vector<std::string>& paths);
    const std::vector<std::string>& classNames() const;
    // The first COUNT samples of step STEP's batch (0: the first step), made exactly as that step
    // will make them — what the augmentation and the prompts do to the training data.
    std::vector<TrainingSample> trainingSamples(int step, int count);
    // The image embeddings of evaluation set SET at ALPHA, of at most LIMIT of its samples (0: all)
    // spread evenly over it, with the predictions evaluation makes of them and the class
    // embeddings it ranks by (the embedding map). Classification runs; throws ra::Error.
    SetEmbeddings embedEvaluationSet(double alpha, const std::string& set, int64_t limit = 0);
    // A retrieval run's caption set SET at ALPHA: at most LIMIT of its images (0: all) spread
    // evenly over it, each beside its first caption — row i of both, normalised (the embedding
    // map's pairs). Retrieval runs; throws ra::Error.
    struct CaptionPairs {
        FloatMatrix images, captions;
        int64_t setImages = 0; // the images the set holds
    };
    CaptionPairs embedCaptionPairs(double alpha, const std::string& set, int64_t limit = 0);

    struct Impl;

private:
    std::unique_ptr<Impl> d;
};

} // namespace ra
