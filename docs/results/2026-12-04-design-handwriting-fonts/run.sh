#!/usr/bin/env bash
# ood-suite.md, entry 21: the design demo (seed 0) on the five ood-val sets plus six probe sets of
# digits in handwriting-imitating typefaces that no model here has seen (Debian font packages,
# unpacked into a private folder so the system's font catalogue, and with it the corpus, is
# unchanged). Neither ood-test nor the ID test set is read. Needs the release build; ~3 min.
#   docs/results/2026-12-04-design-handwriting-fonts/run.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$root/build/design-handwriting-fonts
base=$root/projects/digits-shift
rm -rf "$work" && mkdir -p "$work/debs" "$work/fonts"
(cd "$work/debs" && apt-get download fonts-dkg-handwriting fonts-kristi fonts-dancingscript fonts-ecolier-court \
    fonts-humor-sans fonts-breip fonts-bwht fonts-femkeklaver fonts-rufscript fonts-sjfonts >/dev/null)
for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$work/fonts"; done
"$root/build/release/bin/radapter" prepare-demo --out "$base/data" >/dev/null
g++ -O2 -std=c++17 -I"$root/core" -I/usr/include/opencv4 "$here/hwfont-probe.cpp" "$root/build/release/core/libra_core.a" \
    -lopencv_freetype -lopencv_imgcodecs -lopencv_imgproc -lopencv_core -o "$work/hwfont-probe"
"$work/hwfont-probe" "$work/fonts" "$work/sets"
/usr/bin/python3 - "$base" "$work" <<'PY'
import json, os, sys
base, work = sys.argv[1] + "/", sys.argv[2]
p = json.load(open(base + "digits-shift-design.json"))
p["model"] = base + p["model"]
p["data"] = {k: base + v for k, v in p["data"].items()}
p["ood"] = {k: base + v for k, v in p["ood"].items()}
p["ood"].update({n: f"{work}/sets/{n}" for n in sorted(os.listdir(work + "/sets"))})
json.dump(p, open(work + "/probe.json", "w"), indent=1)
PY
"$root/build/release/bin/radapter" demo --json --seed 0 --project "$work/probe.json" > "$here/seed-0.json"
/usr/bin/python3 "$root/docs/results/2026-12-04-design-single-shifts/table.py" "$here/seed-0.json"
/usr/bin/python3 "$here/suites.py" "$here/seed-0.json"
