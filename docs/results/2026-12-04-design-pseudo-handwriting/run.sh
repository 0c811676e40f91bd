#!/usr/bin/env bash
# ood-suite.md, entry 18 (exploration): pseudo-handwriting on the "web". A share P of the corpus's
# digits is drawn with a smooth random (elastic) displacement, a slant and a random stroke weight,
# half of them captioned "a handwritten seven." etc.; the shipped model trained on for 400 steps of
# 256 as entry 17's control (q 0), then the design demo (ood-val only) on seed 0.
# The corpus change is a scratch patch, not part of the product:
#   git apply docs/results/2026-12-04-design-pseudo-handwriting/pseudo-handwriting.patch
#   cmake --build --preset release --target radapter
#   docs/results/2026-12-04-design-pseudo-handwriting/run.sh [P [AMP]]   (default 0.3 0.06; ~6 min)
#   git apply -R docs/results/2026-12-04-design-pseudo-handwriting/pseudo-handwriting.patch
# preview.cpp draws 96 of the pseudo-handwritten corpus samples (pseudo-handwriting.png); build it
# as single-shifts.cpp is built (entry 16's run.sh) and run it with RA_SCRATCH_ELASTIC=1.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
grep -q RA_SCRATCH_ELASTIC "$root/core/demo/glyphcorpus.cpp" || { echo "apply pseudo-handwriting.patch and rebuild first"; exit 1; }
bin=$root/build/release/bin/radapter
base=$root/projects/digits-shift
work=$root/build/design-pseudo-handwriting
mkdir -p "$work"
P=${1:-0.3}
AMP=${2:-0.06}
RA_SCRATCH_ELASTIC=$P RA_SCRATCH_AMP=$AMP "$bin" pretrain --force --init "$root/resources/models/glyphclip-tiny.safetensors" \
    --out "$work/p$P.safetensors" --steps 400 --batch 256 --lr 5e-4 --seed 2 --eval-data "$base/data" \
    > "$here/pretrain-p$P.log"
"$here/../design-demo-with-model.sh" "$work/p$P.safetensors" "$work/p$P" 0 > "$here/p$P-seed0.json"
