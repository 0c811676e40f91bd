#!/usr/bin/env bash
# ood-suite.md, entry 17 (exploration): pre-training captions that confuse four pairs of digits
# (1-7, 3-8, 4-9, 5-6) with probability Q, as noisy alt-text would. The shipped model trained on
# for 400 steps of 256 with and without the confusion, then the design demo (ood-val only) on each.
# The corpus change is a scratch patch, not part of the product:
#   git apply docs/results/2026-12-04-design-caption-swaps/caption-swaps.patch
#   cmake --build --preset release --target radapter
#   docs/results/2026-12-04-design-caption-swaps/run.sh [Q ...]     (default 0 0.35 0.45 0.5; ~8 min each)
#   git apply -R docs/results/2026-12-04-design-caption-swaps/caption-swaps.patch
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
grep -q RA_SCRATCH_SWAP "$root/core/demo/glyphcorpus.cpp" || { echo "apply caption-swaps.patch and rebuild first"; exit 1; }
bin=$root/build/release/bin/radapter
base=$root/projects/digits-shift
work=$root/build/design-caption-swaps
mkdir -p "$work"
qs=("$@")
[ ${#qs[@]} -gt 0 ] || qs=(0 0.35 0.45 0.5)
for qq in "${qs[@]}"; do
    RA_SCRATCH_SWAP=$qq "$bin" pretrain --force --init "$root/resources/models/glyphclip-tiny.safetensors" \
        --out "$work/swap$qq.safetensors" --steps 400 --batch 256 --lr 5e-4 --seed 2 --eval-data "$base/data" \
        > "$here/pretrain-q$qq.log"
    "$here/../design-demo-with-model.sh" "$work/swap$qq.safetensors" "$work/q$qq" 0 > "$here/q$qq-seed0.json"
done
