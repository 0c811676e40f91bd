#!/usr/bin/env bash
# ood-suite.md, entry 8's addendum: adapter dropping per token (as the official code drops) against
# per sample (the demo's), the design demo (ood-val only) on seeds 0-2 each; ~9 min.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$root/build/design-token-granularity
for g in sample token; do
    name=$([ $g = sample ] && echo base || echo token)
    for s in 0 1 2; do
        "$here/../design-demo-with-model.sh" "$root/resources/models/glyphclip-tiny.safetensors" "$work/$name" "$s" \
            granularity=$g > "$here/$name-seed$s.json"
    done
done
