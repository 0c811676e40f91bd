"""Entry 27's table. `analyse.py --chosen-alpha SWEEP.json` prints R-Adapter's alpha by the
demo's rule (the smallest alpha whose ID validation accuracy is within one binomial standard error
of the best; core/eval/alphaselection.h). `analyse.py WORK ALPHA` prints each method's accuracy on
every ood-val set, on the images each recognizer gets wrong, and the bar's parts with
`clutter-colour` (and `pose-framing`) replaced by those images.
usage: analyse.py --chosen-alpha SWEEP.json | analyse.py WORK_DIR ALPHA"""
import json, math, sys
import numpy as np

if sys.argv[1] == "--chosen-alpha":
    top1 = json.load(open(sys.argv[2]))["top1"]
    alphas = sorted(top1, key=float)
    best = max(top1[a]["val"] for a in alphas)
    se = math.sqrt(best * (1 - best) / 500)
    print(next(a for a in alphas if top1[a]["val"] >= best - se - 1e-12))
    sys.exit()

work, alpha = sys.argv[1], sys.argv[2]
NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
SETS = ["uci-8x8", "printed-unseen", "outline-sketch", "pose-framing", "clutter-colour"]
METHODS = [("zs", "zero-shot"), ("ft", "fine-tuning"), ("wise", "WiSE-FT 0.5"), ("ra", f"R-Adapter {alpha}")]

def correct(method, s):
    rows = sorted((json.loads(l) for l in open(f"{work}/{method}-{s}.jsonl")), key=lambda r: r["image"])
    truth = np.array([int(r["image"].split("/")[-2]) for r in rows])
    return np.array([NAMES.index(r["predictions"][0]["class"]) for r in rows]) == truth, truth

acc = {(m, s): correct(m, s) for m, _ in METHODS for s in SETS}
rec = {k: json.load(open(f"{work}/recognizer-{k}.json")) for k in ("pixels", "hog")}


print("| set | images | " + " | ".join(l for _, l in METHODS) + " |")
print("|---|---|" + "---|" * len(METHODS))
for filt in (None, "pixels", "hog"):
    for s in SETS:
        truth = acc[("zs", s)][1]
        keep = np.ones(len(truth), bool) if filt is None else np.array(rec[filt][s]["predicted"]) != truth
        label = s if filt is None else f"{s}, the {filt} SVM wrong"
        print(f"| {label} | {keep.sum()} | " + " | ".join(
            f"{100 * acc[(m, s)][0][keep].mean():.1f}" for m, _ in METHODS) + " |")

def bar(filt, replace):
    avg = {}
    for m, _ in METHODS:
        vals = []
        for s in SETS:
            c, truth = acc[(m, s)]
            keep = np.ones(len(c), bool)
            if filt and s in replace: keep = np.array(rec[filt][s]["predicted"]) != truth
            vals.append(100 * c[keep].mean())
        avg[m] = sum(vals) / len(vals)
    return (f"OOD average: zero-shot {avg['zs']:.2f}, fine-tuning {avg['ft']:.2f}, WiSE-FT {avg['wise']:.2f}, "
            f"R-Adapter {avg['ra']:.2f}; premise {avg['zs'] - avg['ft']:+.2f}, R-Adapter - zero-shot "
            f"{avg['ra'] - avg['zs']:+.2f}, R-Adapter - fine-tuning {avg['ra'] - avg['ft']:+.2f}")

print("\nthe suite as it is: " + bar(None, ()))
for filt in ("pixels", "hog"):
    print(f"clutter-colour filtered by the {filt} SVM: " + bar(filt, ("clutter-colour",)))
    print(f"clutter-colour and pose-framing filtered by the {filt} SVM: " + bar(filt, ("clutter-colour", "pose-framing")))
