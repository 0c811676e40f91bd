#!/usr/bin/env bash
# ood-suite.md, entry 28 (exploration): is this world's straight trade-off between handwriting
# and the renditions a property of the demo model's tiny image tower (width 128, 1.2 M weights)?
# WiSE-FT's curve bends far above both of its ends on ImageNet with CLIP's 86 M-weight tower;
# here R-Adapter and WiSE-FT move along nearly one line (entries 4-26). Two models pre-trained
# from random initialisation on corpus v2 with the same recipe (1,500 steps of 256, lr 1e-3,
# seed 0; entry 19's recipe, shortened to fit a session), differing only in the image tower's
# width: 128 (2 heads, the shipped architecture) and 256 (4 heads, 4.8 M weights); then the
# design demo (ood-val only), seed 0, the demo's recipe. Written before either model was trained:
# the question is answered "width matters" if the wider model's R-Adapter leads fine-tuning on
# the OOD average by at least 2 points more than the narrower one's at their chosen alphas, and
# "it does not" if the two leads are within 1 point.
# The width is a scratch patch to `radapter pretrain`, not part of the product; the demo itself
# reads any width from the model file, so only pre-training needs the patched binary:
#   git apply docs/results/2026-12-06-design-wider-tower/wider-tower.patch
#   cmake --build --preset release --target radapter && cp build/release/bin/radapter /tmp/radapter-wide
#   git apply -R docs/results/2026-12-06-design-wider-tower/wider-tower.patch
#   WIDE_BIN=/tmp/radapter-wide docs/results/2026-12-06-design-wider-tower/run.sh [WIDTH:HEADS ...] \
#       2> docs/results/2026-12-06-design-wider-tower/progress.log
# (default 128:2 256:4; on the 2-core Zen 4: 23 and 52 min of pre-training, 109 and 352 s of demo;
# the pre-training's progress and zero-shot every 250 steps go to standard error: progress.log)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
bin=${WIDE_BIN:?set WIDE_BIN to a radapter built with wider-tower.patch}
grep -aq PROBE_VISION_WIDTH "$bin" || { echo "$bin was not built with wider-tower.patch"; exit 1; }
work=$root/build/design-wider-tower
mkdir -p "$work"
widths=("$@")
[ ${#widths[@]} -gt 0 ] || widths=(128:2 256:4)
for wh in "${widths[@]}"; do
    w=${wh%%:*}
    PROBE_VISION_WIDTH=$w PROBE_VISION_HEADS=${wh##*:} "$bin" pretrain --force --out "$work/w$w.safetensors" \
        --steps 1500 --batch 256 --seed 0 --eval-data "$root/projects/digits-shift/data" > "$here/pretrain-w$w.log"
    "$here/../design-demo-with-model.sh" "$work/w$w.safetensors" "$work/demo-w$w" 0 > "$here/w$w-seed0.json"
done
