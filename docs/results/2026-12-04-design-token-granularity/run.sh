#!/usr/bin/env bash
# ood-suite.md, entry 8's addendum: adapter dropping per token (as the official code drops) against
# per sample (the demo's), the design demo (ood-val only) on seeds 0-2 each; ~9 min.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$root/build/design-token-granularity
mkdir -p "$work"
/usr/bin/python3 - "$root/projects/digits-shift/" "$work" <<'PY'
import json, sys
base, work = sys.argv[1], sys.argv[2]
p = json.load(open(base + "digits-shift-design.json"))
p["model"] = base + p["model"]
p["data"] = {k: base + v for k, v in p["data"].items()}
p["ood"] = {k: base + v for k, v in p["ood"].items()}
for g, name in (("sample", "base"), ("token", "token")):
    p["hyperparameters"]["granularity"] = g
    json.dump(p, open(f"{work}/{name}.json", "w"), indent=1)
PY
for v in base token; do
    for s in 0 1 2; do
        "$root/build/release/bin/radapter" demo --json --seed "$s" --project "$work/$v.json" > "$here/$v-seed$s.json"
    done
done
