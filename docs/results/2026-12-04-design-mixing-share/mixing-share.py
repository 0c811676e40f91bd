"""Recombines the split design runs (run.sh) for a handwritten share h of pose-framing and
clutter-colour and prints each part of issue #10's bar, mean and std over the seeds."""
import json, statistics as st, sys

runs = [json.load(open(f)) for f in sys.argv[1:]]

def ood_avg(method, h):
    o = method["OOD"]
    mixed = lambda s: h * o[s + "-hand"] + (1 - h) * o[s + "-print"]
    return 100 * (o["uci-8x8"] + o["printed-unseen"] + o["outline-sketch"]
                  + mixed("pose-framing") + mixed("clutter-colour")) / 5

print("alphas chosen:", [r["alpha_selection"]["alpha"] for r in runs],
      "seconds:", [round(r["seconds"]) for r in runs])
names = ["zero-shot", "fine-tuning", "WiSE-FT", "R-Adapter", "R-Adapter a=1.0"]
sets = list(runs[0]["methods"]["zero-shot"]["OOD"])
print("| method | ID | " + " | ".join(sets) + " |")
for n in names:
    cells = [st.mean(100 * r["methods"][n]["OOD"][s] for r in runs) for s in sets]
    print(f"| {n} | {st.mean(100 * r['methods'][n]['ID'] for r in runs):.1f} | "
          + " | ".join(f"{c:.1f}" for c in cells) + " |")
print("\nshare h: zero-shot OOD - fine-tuning OOD (premise, bar >= 2); WiSE-FT 0.5 - max(both) (> 0);"
      " R-Adapter at its chosen alpha - zero-shot (> 0); mean ± std over seeds [per seed]")
for h in [0.5, 0.55, 0.6, 0.62, 0.64, 0.66, 0.68, 0.7, 0.72, 0.74, 0.8, 1.0]:
    m = lambda r, n: ood_avg(r["methods"][n], h)
    premise = [m(r, "zero-shot") - m(r, "fine-tuning") for r in runs]
    wise = [m(r, "WiSE-FT") - max(m(r, "zero-shot"), m(r, "fine-tuning")) for r in runs]
    radapter = [m(r, "R-Adapter") - m(r, "zero-shot") for r in runs]
    fmt = lambda v: f"{st.mean(v):5.2f} ± {st.stdev(v):.2f} {[round(x, 2) for x in v]}"
    print(f"h {h:.2f}  premise {fmt(premise)}  WiSE-FT {st.mean(wise):5.2f}  R-Adapter {fmt(radapter)}")
