#!/usr/bin/env bash
# The per-image predictions entries 27 and 29 read, for one seed: trains fine-tuning and R-Adapter
# on the design project (the demo's recipe; ood-val halves only, ood-test is never read) into
# WORK/runs.sqlite, chooses R-Adapter's alpha by the demo's 1-SE rule from its sweep, writes every
# ood-val image's top-1 prediction for zero-shot (R-Adapter's run at alpha 0), fine-tuning,
# WiSE-FT 0.5 and R-Adapter at that alpha (WORK/{zs,ft,wise,ra}-SET.jsonl), and prints the alpha.
#   predict.sh SEED WORK_DIR   (WORK_DIR is emptied first)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cli=$root/build/release/bin/radapter
data=$root/projects/digits-shift/data
seed=$1 work=$2
rm -rf "$work" && mkdir -p "$work"
train() { # METHOD LR -> run id
    "$cli" --db "$work/runs.sqlite" train --project "$root/projects/digits-shift/digits-shift-design.json" \
        --set method="$1" --set lr="$2" --set seed="$seed" --set eval_every=0 2>/dev/null | sed -n '1s/^run \([0-9]*\)$/\1/p'
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
echo "$alpha"
