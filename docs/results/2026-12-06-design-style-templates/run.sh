#!/usr/bin/env bash
# ood-suite.md, entry 26: the demo's prompt templates made as rich in styles as the "web's"
# captions, as OpenAI's 80 ImageNet templates are ("a sketch of a {}", "a rendering of a {}",
# "a photo of a small {}", ...). The demo uses five plain templates for its zero-shot head, for
# fine-tuning's head and for R-Adapter's training captions; templates.txt adds the corpus's own
# style captions (core/demo/glyphcorpus.cpp: outline, bold, thin, rotated, small, large and
# cropped, backgrounds, lines across), 19 in all. Nothing else changes. Seeds 0-2 on the design
# halves (ID validation and ood-val only).
#
# Written before the runs: adopted only if every seed meets every part of the bar on ood-val
# (premise >= 2, WiSE-FT 0.5 above both ends, R-Adapter's ID within 1.5 of fine-tuning and its
# OOD average above both). ood-test is not read.
#   docs/results/2026-12-06-design-style-templates/run.sh [SEEDS...]   (default 0 1 2; ~2 min a seed)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(0 1 2)
for seed in "${seeds[@]}"; do
    "$here/../design-demo-with-model.sh" "$root/resources/models/glyphclip-tiny.safetensors" \
        "$root/build/design-templates/seed$seed" "$seed" templates="$here/templates.txt" \
        > "$here/styles-seed$seed.json"
done
