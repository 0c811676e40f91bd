#!/usr/bin/env bash
# ood-suite.md, entry 22: each method's learning rate chosen on ID validation. Trains fine-tuning
# (finetune: image tower + zero-shot head, the demo's fine-tuning) and R-Adapter on the split design
# project of entry 15 (ood-val halves only; ood-test is never read) with `radapter train`, and
# sweeps alpha on every set: seed 0 over each method's grid, then seeds 1 and 2 with the chosen
# rates and with the demo's fine-tuning rate. `radapter train` with the demo's rates and seed 0
# gives the design demo's seed-0 numbers (R-Adapter 1.2, 94.8 / 77.9; fine-tuning 95.1 / 75.3).
#   docs/results/2026-12-04-design-learning-rates/run.sh   (from anywhere; 18 min on 2 cores)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cli=$root/build/release/bin/radapter
work=$root/build/design-learning-rates
"$here/../2026-12-04-design-mixing-share/run.sh" --split-only
rm -rf "$work" && mkdir -p "$work"
run() { # METHOD LR SEED ALPHAS OUT
    local out id
    out=$("$cli" --db "$work/runs.sqlite" train --project "$root/build/design-mixing-share/split.json" \
        --set method="$1" --set lr="$2" --set seed="$3" --set eval_every=0 2>/dev/null)
    id=$(sed -n '1s/^run \([0-9]*\)$/\1/p' <<<"$out")
    "$cli" --db "$work/runs.sqlite" sweep --run "$id" --alphas "$4" > "$here/$5"
}
for lr in 3e-5 1e-4 3e-4 1e-3; do run finetune $lr 0 0:1:0.25 sweep-$lr-s0.json; done
for lr in 0.001 0.003 0.01 0.03; do run radapter $lr 0 0:1.5:0.1 ra-sweep-$lr-s0.json; done
for s in 1 2; do
    run finetune 3e-4 $s 0:1:0.25 sweep-3e-4-s$s.json
    run finetune 1e-4 $s 0:1:0.25 sweep-1e-4-s$s.json
    run radapter 0.01 $s 0:1.5:0.1 ra-sweep-0.01-s$s.json
done
/usr/bin/python3 "$here/bar.py" "$here" 3e-4 0.01 0,1,2
