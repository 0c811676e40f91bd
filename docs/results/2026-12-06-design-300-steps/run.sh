#!/usr/bin/env bash
# ood-suite.md, entry 25: the demo's recipe with 300 steps instead of 150 (both methods), seeds
# 0-2, on the design halves (ID validation and ood-val only), at today's code. Written before the
# runs: adopted only if every seed meets every part of the bar on ood-val (premise >= 2, WiSE-FT
# 0.5 above both ends, R-Adapter's ID within 1.5 of fine-tuning and its OOD average above both).
#   docs/results/2026-12-06-design-300-steps/run.sh [STEPS] [SEEDS...]   (default 300, 0 1 2; ~3 min a seed)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
steps=${1:-300}
shift || true
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(0 1 2)
for seed in "${seeds[@]}"; do
    "$here/../design-demo-with-model.sh" "$root/resources/models/glyphclip-tiny.safetensors" \
        "$root/build/design-steps/s$steps-seed$seed" "$seed" steps=$steps > "$here/steps$steps-seed$seed.json"
done
