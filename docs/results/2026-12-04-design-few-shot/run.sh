#!/usr/bin/env bash
# ood-suite.md, entry 23: a few-shot ID training set (16, 32 or 64 images a class of id/train,
# every (n/k)-th file in name order, as symbolic links), the design demo otherwise unchanged
# (ood-val only), seed 0; ~5 min on 2 cores. Prints each method's ID / OOD average.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$root/build/design-few-shot
rm -rf "$work" && mkdir -p "$work"
for shots in 16 32 64; do
    /usr/bin/python3 - "$root" "$work" "$shots" <<'PY'
import json, os, sys
root, work, shots = sys.argv[1], sys.argv[2], int(sys.argv[3])
base = root + "/projects/digits-shift/"
train = f"{work}/shots{shots}/train"
for c in sorted(os.listdir(base + "data/id/train")):
    src = f"{base}data/id/train/{c}"
    names = sorted(os.listdir(src))
    os.makedirs(f"{train}/{c}")
    for i in range(shots):
        name = names[int(i * len(names) / shots)]
        os.symlink(f"{src}/{name}", f"{train}/{c}/{name}")
p = json.load(open(base + "digits-shift-design.json"))
p["model"] = os.path.realpath(base + p["model"])
p["data"] = {k: base + v for k, v in p["data"].items()}
p["data"]["train"] = train
p["ood"] = {k: base + v for k, v in p["ood"].items()}
json.dump(p, open(f"{work}/shots{shots}.json", "w"), indent=1)
PY
    "$root/build/release/bin/radapter" demo --json --seed 0 --project "$work/shots$shots.json" \
        > "$here/shots$shots-seed0.json"
done
/usr/bin/python3 - "$here" <<'PY'
import json, sys
for shots in (16, 32, 64):
    m = json.load(open(f"{sys.argv[1]}/shots{shots}-seed0.json"))["methods"]
    f = lambda k: f"{100 * m[k]['ID']:.1f} / {100 * m[k]['OOD_avg']:.1f}"
    zs, ft, ra = (m[k]["OOD_avg"] for k in ("zero-shot", "fine-tuning", "R-Adapter"))
    print(f"{shots} a class: zero-shot {f('zero-shot')}, fine-tuning {f('fine-tuning')}, "
          f"WiSE-FT 0.5 {f('WiSE-FT')}, R-Adapter ({m['R-Adapter']['alpha']}) {f('R-Adapter')}, "
          f"at 1.0 {f('R-Adapter a=1.0')}; premise {100 * (zs - ft):.2f}, "
          f"R-Adapter - zero-shot {100 * (ra - zs):.2f}")
PY
