#!/usr/bin/env bash
# ood-suite.md, entry 29 on seeds 1 and 2 (run.sh is seed 0): the same two design runs
# (fine-tuning and R-Adapter, the demo's recipe, ood-val halves only), R-Adapter at its 1-SE alpha,
# every image's prediction, and what each tuned model loses and gains against zero-shot
# (confusions-seeds.txt). ~4 min a seed on 2 cores.
#   docs/results/2026-12-06-design-adversarial-filter/seeds.sh [SEED ...]   (default 1 2)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cli=$root/build/release/bin/radapter
data=$root/projects/digits-shift/data
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2)
for seed in "${seeds[@]}"; do
    work=$root/build/design-adversarial-filter-seed$seed
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
        classify "$ra" "$alpha" ra
    done
    echo "seed $seed (R-Adapter at alpha $alpha)"
    /usr/bin/python3 "$here/confusions.py" "$work" "$data" "$work/allographs.png"
done | tee "$here/confusions-seeds.txt"
