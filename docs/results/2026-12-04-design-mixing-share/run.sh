#!/usr/bin/env bash
# ood-suite.md, entry 15: how the bar's parts move with the handwritten share of pose-framing and
# clutter-colour. Splits those two ood-val sets into their handwritten and rendered halves (file
# index < 500: restyled ID test digits; the rest: held-out typefaces, core/demo/digitsshift.cpp),
# runs the design demo on the seven sets for seeds 0-2, then recombines the per-set accuracies
# for any share. ood-val only; ood-test is never read.
#   docs/results/2026-12-04-design-mixing-share/run.sh   (from anywhere; ~4 min on 2 cores)
#   ... run.sh --split-only   (only the split sets and build/design-mixing-share/split.json, which
#                              entry 22's runs use)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$root/build/design-mixing-share
val=$root/projects/digits-shift/data/ood-val
rm -rf "$work" && mkdir -p "$work"
for set in pose-framing clutter-colour; do
    for class in "$val/$set"/*/; do
        c=$(basename "$class")
        mkdir -p "$work/$set-hand/$c" "$work/$set-print/$c"
        for f in "$class"*.png; do
            n=$(basename "$f" .png)
            if [ $((10#$n)) -lt 500 ]; then ln -s "$f" "$work/$set-hand/$c/"; else ln -s "$f" "$work/$set-print/$c/"; fi
        done
    done
done
/usr/bin/python3 - "$root" "$work" <<'PY'
import json, sys
root, work = sys.argv[1:]
base = root + "/projects/digits-shift/"
p = json.load(open(base + "digits-shift-design.json"))
p["model"] = base + p["model"]
p["data"] = {k: base + v for k, v in p["data"].items()}
ood = {}
for name, path in p["ood"].items():
    if name in ("pose-framing", "clutter-colour"):
        ood[name + "-hand"], ood[name + "-print"] = f"{work}/{name}-hand", f"{work}/{name}-print"
    else:
        ood[name] = base + path
p["ood"] = ood
json.dump(p, open(work + "/split.json", "w"), indent=1)
PY
[ "${1:-}" = --split-only ] && exit 0
for s in 0 1 2; do
    "$root/build/release/bin/radapter" demo --json --seed "$s" --project "$work/split.json" > "$here/seed-$s.json"
done
/usr/bin/python3 "$here/mixing-share.py" "$here"/seed-*.json
