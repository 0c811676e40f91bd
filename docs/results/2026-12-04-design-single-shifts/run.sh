#!/usr/bin/env bash
# ood-suite.md, entry 16: the design demo (seeds 0-2) on 24 single-shift probe sets, 12 shifts of
# the handwritten ID validation digits and the same 12 of fresh renders in the held-out typefaces.
# Neither ood-val nor ood-test is read. Needs the release build (scripts/build.sh); ~8 min on 2 cores.
#   docs/results/2026-12-04-design-single-shifts/run.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$root/build/design-single-shifts
base=$root/projects/digits-shift
rm -rf "$work" && mkdir -p "$work"
"$root/build/release/bin/radapter" prepare-demo --out "$base/data" >/dev/null
g++ -O2 -std=c++17 -I"$root/core" -I/usr/include/opencv4 "$here/single-shifts.cpp" "$root/build/release/core/libra_core.a" \
    -lopencv_freetype -lopencv_imgcodecs -lopencv_imgproc -lopencv_core -o "$work/single-shifts"
"$work/single-shifts" "$base/data/id/val" "$work/sets"
/usr/bin/python3 - "$base" "$work" <<'PY'
import json, os, sys
base, work = sys.argv[1] + "/", sys.argv[2]
p = json.load(open(base + "digits-shift-design.json"))
p["model"] = base + p["model"]
p["data"] = {k: base + v for k, v in p["data"].items()}
p["ood"] = {n: f"{work}/sets/{n}" for n in sorted(os.listdir(work + "/sets"))}
json.dump(p, open(work + "/probes.json", "w"), indent=1)
PY
for s in 0 1 2; do
    "$root/build/release/bin/radapter" demo --json --seed "$s" --project "$work/probes.json" > "$here/seed-$s.json"
done
/usr/bin/python3 "$here/table.py" "$here"/seed-*.json
