#!/usr/bin/env bash
# Runs `radapter demo` for several seeds and prints mean ± std of every number (the README's
# demo table comes from this). Each seed's JSON is kept in build/demo-seeds/ for inspection.
#   scripts/demo-seeds.sh [--project FILE] [SEEDS...]   (default: the demo project; seeds 0 1 2)
# --project projects/digits-shift/digits-shift-design.json measures on the OOD suite's design
# halves (ood-val), the only ones a design decision may look at (docs/ood-suite.md).
# Run it alone: two libtorch processes on a 2-core machine slow each other down >10x.
set -euo pipefail
cd "$(dirname "$0")/.."
cli=build/release/bin/radapter
project=()
dir=build/demo-seeds
if [ "${1:-}" = --project ]; then
    project=(--project "$2")
    dir=build/demo-seeds-$(basename "$2" .json)
    shift 2
fi
seeds=("$@")
[ $# -gt 0 ] || seeds=(0 1 2)
mkdir -p "$dir"
files=()
for s in "${seeds[@]}"; do
    "$cli" demo --json --seed "$s" "${project[@]}" > "$dir/seed-$s.json.part"
    mv "$dir/seed-$s.json.part" "$dir/seed-$s.json"
    files+=("$dir/seed-$s.json")
done
/usr/bin/python3 - "${files[@]}" <<'PY'
import json, statistics as st, sys
runs = [json.load(open(f)) for f in sys.argv[1:]]
names = list(runs[0]["methods"])
sets = list(runs[0]["methods"][names[0]]["OOD"])
def ms(vals):
    vals = [100 * v for v in vals]
    return f"{st.mean(vals):5.1f} ± {st.stdev(vals) if len(vals) > 1 else 0:3.1f}"
print(f"{len(runs)} seeds; seconds per demo: " + ", ".join(f"{r['seconds']:.0f}" for r in runs))
print("| method | alpha | ID (test) | " + " | ".join(sets) + " | OOD avg |")
print("|---|---|---|" + "---|" * len(sets) + "---|")
for n in names:
    m = [r["methods"][n] for r in runs]
    alphas = sorted({f"{x['alpha']:.1f}" for x in m})
    print(f"| {n} | {'/'.join(alphas)} | {ms([x['ID'] for x in m])} | " + " | ".join(ms([x['OOD'][s] for x in m]) for s in sets)
          + f" | {ms([x['OOD_avg'] for x in m])} |")
print()
for curve in ("WiSE-FT", "R-Adapter"):
    points = {}
    for r in runs:
        for p in r["curves"][curve]:
            points.setdefault(round(p["alpha"], 3), []).append(p)
    print(f"{curve} curve (alpha: ID / OOD avg, mean over the seeds that have the point):")
    print("  " + "  ".join(f"{a:g}: {100 * st.mean(p['ID'] for p in ps):.1f} / {100 * st.mean(p['OOD_avg'] for p in ps):.1f}"
                           for a, ps in sorted(points.items())))
print()
print("R-Adapter's ID-validation curve (alpha: accuracy %), per seed:")
for r in runs:
    sel = r["alpha_selection"]
    curve = " ".join(f"{a}:{100 * v:.1f}" for a, v in sel["val_curve"].items())
    print(f"  seed {r['seed']}: chosen {sel['alpha']:.1f} (argmax {sel['argmax']:.1f}, best {100 * sel['best_val']:.1f}, "
          f"SE {100 * sel['standard_error']:.2f})  {curve}")
PY
