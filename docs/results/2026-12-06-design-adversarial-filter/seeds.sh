#!/usr/bin/env bash
# ood-suite.md, entry 29 on seeds 1 and 2 (run.sh is seed 0): the same two design runs and every
# image's prediction (predict.sh), then what each tuned model loses and gains against zero-shot
# (confusions-seeds.txt). ~4 min a seed on 2 cores.
#   docs/results/2026-12-06-design-adversarial-filter/seeds.sh [SEED ...]   (default 1 2)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
data=$root/projects/digits-shift/data
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2)
for seed in "${seeds[@]}"; do
    work=$root/build/design-adversarial-filter-seed$seed
    alpha=$("$here/predict.sh" "$seed" "$work")
    echo "seed $seed (R-Adapter at alpha $alpha)"
    /usr/bin/python3 "$here/confusions.py" "$work" "$data" "$work/allographs.png"
done | tee "$here/confusions-seeds.txt"
