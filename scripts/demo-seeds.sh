#!/usr/bin/env bash
# Runs `radapter demo` for several seeds and prints mean ± std of every number (the README's
# demo table comes from this).   scripts/demo-seeds.sh [SEEDS...]   (default: 0 1 2)
set -euo pipefail
cd "$(dirname "$0")/.."
cli=build/release/bin/radapter
seeds=("${@:-0 1 2}")
[ $# -gt 0 ] || seeds=(0 1 2)
out=$(mktemp)
for s in "${seeds[@]}"; do "$cli" demo --json --seed "$s" >> "$out"; done
/usr/bin/python3 - "$out" <<'PY'
import json, statistics as st, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
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
PY
rm -f "$out"
