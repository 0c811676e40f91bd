"""ood-suite.md, entry 32: per probe set, means over the seeds of each method minus zero-shot; then
the bar's parts for suite v3 (the five ood-val sets) and the candidate v4 (printed-unseen and
outline-sketch drawn in the web's framings), per seed and on the means, and run.sh's rule.
usage: suites.py seed-0.json seed-1.json seed-2.json"""
import json, statistics as st, sys

runs = [json.load(open(f)) for f in sys.argv[1:]]
methods = ["zero-shot", "fine-tuning", "WiSE-FT", "R-Adapter"]
acc = lambda r, m, s: 100 * (r["methods"][m]["ID"] if s == "ID" else r["methods"][m]["OOD"][s])
print("alphas chosen:", [r["methods"]["R-Adapter"]["alpha"] for r in runs])
print("| set | zero-shot | FT - ZS | WiSE-FT 0.5 - ZS | R-Adapter - ZS |")
print("|---|---|---|---|---|")
for s in ["ID"] + sorted(runs[0]["methods"]["zero-shot"]["OOD"]):
    zs = st.mean(acc(r, "zero-shot", s) for r in runs)
    d = [st.mean(acc(r, m, s) for r in runs) - zs for m in methods[1:]]
    print(f"| {s} | {zs:.1f} | " + " | ".join(f"{x:+.1f}" for x in d) + " |")

v3 = ["uci-8x8", "printed-unseen", "outline-sketch", "pose-framing", "clutter-colour"]
v4 = ["uci-8x8", "print-print-mixed", "print-sketch-mixed", "pose-framing", "clutter-colour"]


def parts(r, suite):
    """(premise drop, WiSE-FT over the better end, R-Adapter's ID gap, R-Adapter - ZS, R-Adapter - FT, FT ID gain)"""
    ood = {m: st.mean(acc(r, m, s) for s in suite) for m in methods}
    idv = {m: acc(r, m, "ID") for m in methods}
    return (ood["zero-shot"] - ood["fine-tuning"], ood["WiSE-FT"] - max(ood["zero-shot"], ood["fine-tuning"]),
            idv["fine-tuning"] - idv["R-Adapter"], ood["R-Adapter"] - ood["zero-shot"],
            ood["R-Adapter"] - ood["fine-tuning"], idv["fine-tuning"] - idv["zero-shot"])


names = ["premise (>= 2)", "WiSE-FT - better end (> 0)", "R-A ID gap (<= 1.5)", "R-A - ZS (> 0)",
         "R-A - FT (> 0)", "FT ID gain (>= 10)"]
adopt = True
for label, suite in (("v3", v3), ("v4 candidate", v4)):
    per = [parts(r, suite) for r in runs]
    print(f"\n{label}: " + ", ".join(suite))
    print("| seed | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    for r, p in zip(runs, per):
        print(f"| {r['seed']} | " + " | ".join(f"{x:+.2f}" for x in p) + " |")
    mean = [st.mean(p[k] for p in per) for k in range(len(names))]
    print("| mean | " + " | ".join(f"{x:+.2f}" for x in mean) + " |")
    if label.startswith("v4"):
        holds = mean[0] >= 2 and mean[1] > 0 and mean[2] <= 1.5 and mean[3] > 0 and mean[4] > 0 and mean[5] >= 10
        every = all(p[0] >= 2 and p[3] > 0 for p in per)
        adopt = holds and every
        print(f"\nrule: every part on the means {holds}; premise >= 2 and R-A above ZS on every seed {every}"
              f" -> {'adopt suite v4' if adopt else 'not adopted'}")
