#!/usr/bin/env bash
# ood-suite.md, entry 27: would `clutter-colour` built as ImageNet-A was built (hard variation
# filtered to the images a classifier trained on the ID domain gets wrong) widen R-Adapter's lead?
# Trains fine-tuning and R-Adapter on the design project (ood-val halves only; ood-test is never
# read), seed 0, the demo's recipe; writes every image's top-1 prediction for zero-shot (R-Adapter's
# run at alpha 0), fine-tuning, WiSE-FT 0.5 and R-Adapter at its 1-SE alpha; trains two classic
# recognizers on id/train (an RBF SVM on grey pixels and on HOG features; scikit-learn from
# python3-sklearn) and prints each method's accuracy on the images each recognizer gets wrong
# (result.txt). Entry 29 reads the same predictions: which images each tuned model loses
# (confusions.txt) and a picture of the commonest (allographs.png).
#   docs/results/2026-12-06-design-adversarial-filter/run.sh   (from anywhere; ~5 min on 2 cores)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cli=$root/build/release/bin/radapter
work=$root/build/design-adversarial-filter
data=$root/projects/digits-shift/data
rm -rf "$work" && mkdir -p "$work"
train() { # METHOD LR -> run id
    "$cli" --db "$work/runs.sqlite" train --project "$root/projects/digits-shift/digits-shift-design.json" \
        --set method="$1" --set lr="$2" --set seed=0 --set eval_every=0 2>/dev/null | sed -n '1s/^run \([0-9]*\)$/\1/p'
}
ft=$(train finetune 1e-4)
ra=$(train radapter 0.003)
"$cli" --db "$work/runs.sqlite" sweep --run "$ra" --alphas 0:1.5:0.1 2>/dev/null > "$work/ra-sweep.json"
alpha=$(/usr/bin/python3 "$here/analyse.py" --chosen-alpha "$work/ra-sweep.json")
for s in uci-8x8 printed-unseen outline-sketch pose-framing clutter-colour; do
    mapfile -t files < <(find "$data/ood-val/$s" -name '*.png' | sort)
    classify() { "$cli" --db "$work/runs.sqlite" classify --top 1 --run "$1" --alpha "$2" "${files[@]}" > "$work/$3-$s.jsonl"; }
    classify "$ra" 0 zs
    classify "$ft" 1 ft
    classify "$ft" 0.5 wise
    classify "$ra" "$alpha" ra
done
/usr/bin/python3 "$here/recognizers.py" "$data" "$work"
/usr/bin/python3 "$here/analyse.py" "$work" "$alpha" | tee "$here/result.txt"
/usr/bin/python3 "$here/confusions.py" "$work" "$data" "$here/allographs.png" > "$here/confusions.txt"
