#!/usr/bin/env bash
# ood-suite.md, entry 20: AdamW weight decay on R-Adapter's adapters (wd 1 and 3; the demo and the
# paper use 0), the design demo (ood-val only), seed 0; ~3 min. The baseline is entry 8's
# addendum's base-seed0.json (the same code path for R-Adapter; wd applies to its AdamW only).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
for wd in 1 3; do
    "$here/../design-demo-with-model.sh" "$root/resources/models/glyphclip-tiny.safetensors" \
        "$root/build/design-weight-decay/wd$wd" 0 wd=$wd > "$here/wd$wd-seed0.json"
done
