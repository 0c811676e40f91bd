#!/usr/bin/env bash
# ood-suite.md, entry 27: would `clutter-colour` built as ImageNet-A was built (hard variation
# filtered to the images a classifier trained on the ID domain gets wrong) widen R-Adapter's lead?
# Seed 0's per-image predictions (predict.sh: fine-tuning and R-Adapter on the design project,
# ood-val halves only; zero-shot, fine-tuning, WiSE-FT 0.5 and R-Adapter at its 1-SE alpha);
# then trains two classic recognizers on id/train (an RBF SVM on grey pixels and on HOG
# features; scikit-learn from python3-sklearn) and prints each method's accuracy on the images
# each recognizer gets wrong (result.txt). Entry 29 reads the same predictions: which images each tuned model loses
# (confusions.txt) and a picture of the commonest (allographs.png).
#   docs/results/2026-12-06-design-adversarial-filter/run.sh   (from anywhere; ~5 min on 2 cores)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$root/build/design-adversarial-filter
data=$root/projects/digits-shift/data
alpha=$("$here/predict.sh" 0 "$work")
/usr/bin/python3 "$here/recognizers.py" "$data" "$work"
/usr/bin/python3 "$here/analyse.py" "$work" "$alpha" | tee "$here/result.txt"
/usr/bin/python3 "$here/confusions.py" "$work" "$data" "$here/allographs.png" > "$here/confusions.txt"
