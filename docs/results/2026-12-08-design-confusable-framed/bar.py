"""ood-suite.md, entry 33: the bar's parts for each model (q) and suite (v3: the five ood-val sets;
v4: printed-unseen and outline-sketch replaced by entry 32's framed renditions), per seed and on the
means over the seeds run, and run.sh's gate and rule.
usage: bar.py q*-seed*.json"""
import collections, json, os, re, statistics as st, sys

methods = ["zero-shot", "fine-tuning", "WiSE-FT", "R-Adapter"]
suites = {"v3": ["uci-8x8", "printed-unseen", "outline-sketch", "pose-framing", "clutter-colour"],
          "v4": ["uci-8x8", "print-print-mixed", "print-sketch-mixed", "pose-framing", "clutter-colour"]}
names = ["premise (>= 2)", "WiSE-FT - better end (> 0)", "R-A ID gap (<= 1.5)", "R-A - ZS (> 0)",
         "R-A - FT", "FT ID gain (>= 10)"]
acc = lambda r, m, s: 100 * (r["methods"][m]["ID"] if s == "ID" else r["methods"][m]["OOD"][s])


def parts(r, suite):
    ood = {m: st.mean(acc(r, m, s) for s in suite) for m in methods}
    idv = {m: acc(r, m, "ID") for m in methods}
    return (ood["zero-shot"] - ood["fine-tuning"], ood["WiSE-FT"] - max(ood["zero-shot"], ood["fine-tuning"]),
            idv["fine-tuning"] - idv["R-Adapter"], ood["R-Adapter"] - ood["zero-shot"],
            ood["R-Adapter"] - ood["fine-tuning"], idv["fine-tuning"] - idv["zero-shot"])


def holds(p):
    return p[0] >= 2 and p[1] > 0 and p[2] <= 1.5 and p[3] > 0 and p[4] > 0 and p[5] >= 10


runs = collections.defaultdict(list)
for f in sys.argv[1:]:
    q = re.match(r"q([0-9.]+)-seed", os.path.basename(f)).group(1)
    runs[q].append(json.load(open(f)))
for q in sorted(runs, key=float):
    rs = sorted(runs[q], key=lambda r: r["seed"])
    print(f"\n## q {q}: alphas chosen {[r['methods']['R-Adapter']['alpha'] for r in rs]}")
    print("| set | zero-shot | fine-tuning | WiSE-FT 0.5 | R-Adapter |")
    print("|---|---|---|---|---|")
    for s in ["ID"] + sorted(rs[0]["methods"]["zero-shot"]["OOD"]):
        print(f"| {s} | " + " | ".join(f"{st.mean(acc(r, m, s) for r in rs):.1f}" for m in methods) + " |")
    for label, suite in suites.items():
        per = [parts(r, suite) for r in rs]
        mean = tuple(st.mean(p[i] for p in per) for i in range(len(names)))
        print(f"\n{label}: | seed | " + " | ".join(names) + " |")
        for r, p in zip(rs, per):
            print(f"| {r['seed']} | " + " | ".join(f"{x:+.2f}" for x in p) + " |")
        print("| mean | " + " | ".join(f"{x:+.2f}" for x in mean) + " |")
        gate = per[0][0] >= 2 and per[0][3] > 0
        rule = len(per) == 3 and holds(mean) and all(p[0] >= 2 and p[3] > 0 for p in per)
        print(f"gate (seed 0: premise >= 2, R-A above ZS): {gate}; rule (3 seeds): {rule}")
