#!/usr/bin/env bash
# ood-suite.md, entry 19 (exploration): the glyph CLIP pre-trained from random initialisation on
# corpus v2 alone (the model card's two-stage recipe in one), 3,100 steps of 256 (stage 1's 2,500
# plus stage 2's 600) at the default lr 1e-3, seed 0; then the design demo (ood-val only), seed 0.
# ~36 min for the pre-training on a 2-core Zen 5, ~80 s for the demo.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$root/build/design-scratch-v2
mkdir -p "$work"
"$root/build/release/bin/radapter" pretrain --force --out "$work/v2-3100.safetensors" --steps 3100 --batch 256 --seed 0 \
    --eval-data "$root/projects/digits-shift/data" > "$here/pretrain.log"
"$here/../design-demo-with-model.sh" "$work/v2-3100.safetensors" "$work/demo" 0 > "$here/seed0.json"
