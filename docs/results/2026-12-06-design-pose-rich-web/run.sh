#!/usr/bin/env bash
# ood-suite.md, entry 24 (exploration): a "web" with many more unusual poses and framings
# (RA_SCRATCH_POSE=1: 30 % small, 30 % large and cropped instead of 13 % and 12 %; half of the
# glyphs turned up to 60 degrees instead of a quarter; wide offsets for half instead of a fifth).
# The shipped model trained on for 400 steps of 256 on that corpus (POSE 1) and, as the control
# for the extra training, on the unchanged corpus (POSE 0); then the design demo (ood-val only).
# The corpus change is a scratch patch, not part of the product:
#   git apply docs/results/2026-12-06-design-pose-rich-web/pose-rich.patch
#   cmake --build --preset release --target radapter
#   docs/results/2026-12-06-design-pose-rich-web/run.sh [POSE ...]   (default 1 0; ~9 min each)
#   git apply -R docs/results/2026-12-06-design-pose-rich-web/pose-rich.patch
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
grep -q RA_SCRATCH_POSE "$root/core/demo/glyphcorpus.cpp" || { echo "apply pose-rich.patch and rebuild first"; exit 1; }
bin=$root/build/release/bin/radapter
base=$root/projects/digits-shift
work=$root/build/design-pose-rich-web
mkdir -p "$work"
poses=("$@")
[ ${#poses[@]} -gt 0 ] || poses=(1 0)
for pose in "${poses[@]}"; do
    RA_SCRATCH_POSE=$pose "$bin" pretrain --force --init "$root/resources/models/glyphclip-tiny.safetensors" \
        --out "$work/pose$pose.safetensors" --steps 400 --batch 256 --lr 5e-4 --seed 2 --eval-data "$base/data" \
        > "$here/pretrain-pose$pose.log"
    "$here/../design-demo-with-model.sh" "$work/pose$pose.safetensors" "$work/p$pose" 0 > "$here/pose$pose-seed0.json"
done
