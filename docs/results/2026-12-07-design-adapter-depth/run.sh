#!/usr/bin/env bash
# ood-suite.md, entry 30: does it matter where in the image tower R-Adapter's adapters sit?
# Every earlier entry kept an adapter after the attention and the MLP of all six image blocks (and
# all four text blocks) and moved R-Adapter's chosen point along one ID/OOD trade-off. Early
# blocks see strokes and texture, late blocks the digit's shape; adapting only one half might
# learn handwriting while leaving the other half's knowledge of renditions alone, i.e. lift the
# curve rather than move along it. Variants (the text tower keeps all its adapters): image blocks
# 0-2 only, image blocks 3-5 only, and the shipped placement (all six) from the same binary.
# Written before any variant was run:
#   - seed 0 first (design demo, ood-val only, the demo's recipe); a variant goes on to seeds 1
#     and 2 only if on seed 0 R-Adapter at its chosen alpha is above zero-shot's OOD average and
#     within 1.5 points of fine-tuning's ID (otherwise it cannot meet the bar);
#   - a variant is adopted only if every part of the bar holds on each of seeds 0-2 (entry 25's
#     rule); ood-test is not read.
# The placement is a scratch patch (PROBE_VISION_ADAPTER_BLOCKS=LO-HI), not part of the product:
#   git apply docs/results/2026-12-07-design-adapter-depth/adapter-depth.patch
#   cmake --build --preset release --target radapter && cp build/release/bin/radapter /tmp/radapter-depth
#   git apply -R docs/results/2026-12-07-design-adapter-depth/adapter-depth.patch && cmake --build --preset release
#   RADAPTER=/tmp/radapter-depth docs/results/2026-12-07-design-adapter-depth/run.sh [SEED [VARIANT ...]]
# VARIANT: all, 0-2, 3-5 (default: all three); writes SEED-VARIANT.json here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
export RADAPTER=${RADAPTER:?set RADAPTER to a radapter built with adapter-depth.patch}
grep -aq PROBE_VISION_ADAPTER_BLOCKS "$RADAPTER" || { echo "$RADAPTER was not built with adapter-depth.patch"; exit 1; }
seed=${1:-0}
shift || true
variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=(all 0-2 3-5)
for v in "${variants[@]}"; do
    if [ "$v" = all ]; then unset PROBE_VISION_ADAPTER_BLOCKS; else export PROBE_VISION_ADAPTER_BLOCKS=$v; fi
    "$here/../design-demo-with-model.sh" "$root/resources/models/glyphclip-tiny.safetensors" \
        "$root/build/design-adapter-depth" "$seed" > "$here/$seed-$v.json"
    /usr/bin/python3 "$here/../design-bar.py" "$here/$seed-$v.json" | sed -n 1,2p
done
