"""Means over the seeds of each probe set: zero-shot, fine-tuning, WiSE-FT 0.5, R-Adapter at its
chosen alpha and at 0.5 and 1.0; then each method minus zero-shot (negative: forgotten)."""
import json, statistics as st, sys

runs = [json.load(open(f)) for f in sys.argv[1:]]
names = ["zero-shot", "fine-tuning", "WiSE-FT", "R-Adapter", "R-Adapter a=0.5", "R-Adapter a=1.0"]
short = ["zero-shot", "FT", "WiSE 0.5", "R-A chosen", "R-A 0.5", "R-A 1.0"]
mean = lambda n, s: st.mean(100 * (r["methods"][n]["ID"] if s == "ID" else r["methods"][n]["OOD"][s]) for r in runs)
print("alphas chosen:", [r["alpha_selection"]["alpha"] for r in runs])
print("| set | " + " | ".join(short) + " | FT - ZS | R-A chosen - ZS | R-A 1.0 - ZS |")
print("|---" * (len(names) + 4) + "|")
for s in ["ID"] + list(runs[0]["methods"]["zero-shot"]["OOD"]):
    zs = mean("zero-shot", s)
    cells = [f"{mean(n, s):.1f}" for n in names]
    deltas = [f"{mean(n, s) - zs:+.1f}" for n in ("fine-tuning", "R-Adapter", "R-Adapter a=1.0")]
    print(f"| {s} | " + " | ".join(cells + deltas) + " |")
