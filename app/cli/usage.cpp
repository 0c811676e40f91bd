#include "cli/usage.h"

#include "config/trainconfig.h"

#include <algorithm>
#include <iostream>
#include <sstream>

namespace ra::cli {

const char* const kUsage = R"(usage: radapter [--threads N] [--device cpu|cuda[:N]] COMMAND [OPTIONS]

commands:
  tokenize [--context-length N] [TEXT...]   CLIP token ids as JSON arrays, one per line
  embed --model PATH [--image FILE]... [--text STR]...
                                            projected embeddings and exp(logit_scale) as JSON
  zeroshot --model PATH --data DATASET [--templates FILE] [--classnames FILE] [--batch N] [--quiet]
                                            zero-shot top-1 / top-5 / per-class accuracy as JSON;
                                            progress on stderr every 5 s when it takes longer
  info --model PATH                         architecture and parameter counts as JSON
  info --system                             CPU features, library versions, threads, chosen kernels as JSON
  bench [--arch ViT-B/32] [--batch N] [--steps N] [--precision auto|fp32|bf16] [--mode all|inference|train]
                                            random-weight inference and R-Adapter training throughput as JSON
  train --project FILE [--set key=value]... [--name N] [--experiment E] | --resume RUN_ID
        [--dist-backend gloo|nccl] [--dist-url env://|tcp://HOST:PORT]
                                            train; prints the run id and trainable parameters;
                                            data-parallel when started by torchrun or srun
  search --project FILE --grid KEY=V1,V2[,...]... [--set key=value]... [--tag T] [--experiment E] [--json] [--quiet]
         [--range KEY=LOW:HIGH[:log]... --samples N [--sample-seed S] [--bayes]] [--halving]
                                            a hyper-parameter search: one stored run per combination of the
                                            grid's values (--grid seed=0,1,2 repeats each) or per random draw
                                            from the ranges (N draws, log: uniform over the decades; crossed
                                            with the grid), all tagged T, ranked by ID validation accuracy,
                                            never by OOD accuracy; started again with the same tag, it reuses
                                            the runs that search finished; --halving: successive halving (the
                                            best third at each rung goes on, three times as far); --bayes:
                                            after a quarter of the draws at random, each draw chosen by TPE
                                            from the ID accuracy of those before it
  sweep --run ID [--alphas 0:1.5:0.1]       accuracy on every eval set at each alpha (stored)
  eval --run ID --data DATASET [--name NAME] [--alpha A]
                                            evaluate a stored run on new data; the set is stored
                                            with the run as an OOD set, and later sweeps include it
  export --run ID --alpha A --layout openai|hf --out PATH [--adapters-only] [--force]
                                            merged model at alpha, or the adapters alone; never
                                            replaces the store or the run's inputs, nor any existing
                                            file without --force
  runs list [--tag T]|show ID|delete ID [--files]|trash|restore [N]|empty-trash|tag ID T|untag ID T|note ID [TEXT]|export [IDS | --tag T] [--format json|csv]|import FILE|check|compact
  embed --run ID --alpha A [--image FILE]... [--text STR]...
                                            embeddings of a trained run at alpha
  embed --run ID --set NAME [--alpha A] [--limit N] --out DIR [--force]
                                            an evaluation set's embeddings for TensorBoard's
                                            Embedding Projector (DIR/vectors.tsv, DIR/metadata.tsv)
  classify --run ID [--alpha A] [--top K] IMAGE...
                                            each image's K most probable classes (default 5) at
                                            alpha (default: the run's), one JSON line per image
  prepare-demo [--out DIR]                  build the digits-shift benchmark from Debian's data
  pretrain --out FILE [--init FILE] [--steps N] [--batch N] [--lr X] [--seed S] [--eval-data DIR] [--force]
                                            pre-train the demo's small CLIP on the glyph corpus;
                                            never writes over --init, nor any existing file
                                            without --force
  demo [--json] [--seed S | --seeds 0,1,2] [--steps N] [--project FILE]
                                            zero-shot, fine-tuning, WiSE-FT and R-Adapter on the demo,
                                            and the paper's claims checked on the run;
                                            --seeds: mean ± std over the seeds
  version                                   print the version

Runs live in an SQLite database: --db FILE, $RADAPTER_DB, or ~/.local/share/radapter-studio/runs.sqlite.

PATH is an OpenAI .pt archive, an OpenAI/open_clip .safetensors file or a Hugging Face folder.
`radapter COMMAND --help` shows one command; `radapter train --help` also explains every setting.
Tab completion in bash: the Debian package installs it; from a source tree,
`source packaging/bash-completion/radapter`.
)";

std::vector<std::string> commandUsageLines(const std::string& command)
{
    std::istringstream usage(kUsage);
    std::vector<std::string> lines;
    std::string line;
    bool inCommand = false;
    while (std::getline(usage, line)) {
        const bool starts = line.rfind("  " + command + " ", 0) == 0 || line == "  " + command;
        const bool continues = inCommand && line.rfind("        ", 0) == 0;
        inCommand = starts || continues;
        if (inCommand) lines.push_back(line.substr(2));
    }
    return lines;
}

bool printCommandHelp(const std::string& command)
{
    const std::vector<std::string> lines = commandUsageLines(command);
    for (const std::string& line : lines) std::cout << line << "\n";
    if (command == "train") {
        std::cout << "\nsettings (--set key=value, or the project's \"hyperparameters\"):\n";
        for (const auto& [key, help] : ra::settingHelp()) std::cout << "  " << key << ": " << help << "\n";
    }
    return !lines.empty();
}

const char* const kCommands[] = {"tokenize", "embed",    "zeroshot",     "info",     "bench",
                                 "train",    "search",   "sweep",        "eval",     "export",
                                 "runs",     "classify", "prepare-demo", "pretrain", "demo"};

bool isCommand(const std::string& command)
{
    for (const char* c : kCommands)
        if (command == c) return true;
    return false;
}

const char* const kGlobalOptions[] = {"--threads", "--device", "--db"};

bool isGlobalOption(const std::string& option)
{
    return std::find(std::begin(kGlobalOptions), std::end(kGlobalOptions), option) != std::end(kGlobalOptions);
}

} // namespace ra::cli
