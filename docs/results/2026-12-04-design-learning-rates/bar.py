"""Entry 22 (ood-suite.md): the learning-rate selection on ID validation, seed 0, and the bar's
parts with the chosen rates over seeds, on the ood-val halves (h: the handwritten share of
pose-framing and clutter-colour; the shipped suite is h 0.5).
usage: bar.py DIR FT_LR RA_LR SEEDS   e.g. bar.py . 3e-4 0.01 0,1,2"""
import glob, json, math, statistics as st, sys

where, ft_lr, ra_lr, seeds = sys.argv[1], sys.argv[2], sys.argv[3], [int(s) for s in sys.argv[4].split(",")]
N_VAL = 500  # id/val images


def load(name):
    return {float(a): r for a, r in json.load(open(f"{where}/{name}"))["top1"].items()}


def ood(r, h=0.5):
    mixed = lambda s: h * r[s + "-hand"] + (1 - h) * r[s + "-print"]
    return 100 * (r["uci-8x8"] + r["printed-unseen"] + r["outline-sketch"] + mixed("pose-framing")
                  + mixed("clutter-colour")) / 5


def one_standard_error(curve):
    """The demo's rule (core/eval/alphaselection.cpp): the smallest alpha within one binomial
    standard error of the best validation accuracy."""
    best = max(r["val"] for r in curve.values())
    se = math.sqrt(best * (1 - best) / N_VAL)
    return next(a for a in sorted(curve) if curve[a]["val"] >= best - se - 1e-12), best


print("seed 0, fine-tuning (ID validation / ID test / OOD average at h 0.5):")
for f in sorted(glob.glob(f"{where}/sweep-*-s0.json")):
    r = load(f.split("/")[-1])[1.0]
    print(f"  lr {f.split('sweep-')[1][:-8]:5s} {100 * r['val']:.1f} / {100 * r['test']:.1f} / {ood(r):.1f}")
print("seed 0, R-Adapter (best ID validation over alpha 0..1.5; at the 1-SE alpha: ID test / OOD):")
for f in sorted(glob.glob(f"{where}/ra-sweep-*-s0.json")):
    curve = load(f.split("/")[-1])
    a, best = one_standard_error(curve)
    print(f"  lr {f.split('ra-sweep-')[1][:-8]:5s} best {100 * best:.1f}; alpha {a:.1f}: "
          f"{100 * curve[a]['test']:.1f} / {ood(curve[a]):.1f}")

rows = []
for s in seeds:
    ft, ra = load(f"sweep-{ft_lr}-s{s}.json"), load(f"ra-sweep-{ra_lr}-s{s}.json")
    a, _ = one_standard_error(ra)
    rows.append(dict(seed=s, alpha=a, zs=ft[0.0], ft=ft[1.0], wise=ft[0.5], ra=ra[a]))
print(f"\nfine-tuning lr {ft_lr}, R-Adapter lr {ra_lr} (ID test / OOD average at h 0.5):")
for r in rows:
    f = lambda m: f"{100 * r[m]['test']:.1f} / {ood(r[m]):.1f}"
    print(f"  seed {r['seed']}: zero-shot {f('zs')}, fine-tuning {f('ft')}, WiSE-FT 0.5 {f('wise')}, "
          f"R-Adapter (alpha {r['alpha']:.1f}) {f('ra')}")
print("\nthe bar's parts, mean ± std [per seed]:")
for h in (0.5, 0.6, 0.7, 0.8):
    m = lambda v: f"{st.mean(v):.2f}" + (f" ± {st.stdev(v):.2f}" if len(v) > 1 else "") + f" {[round(x, 2) for x in v]}"
    o = lambda r, k: ood(r[k], h)
    print(f"h {h}: zero-shot - fine-tuning OOD (>= 2) {m([o(r, 'zs') - o(r, 'ft') for r in rows])}; "
          f"WiSE-FT - the better end (> 0) {m([o(r, 'wise') - max(o(r, 'zs'), o(r, 'ft')) for r in rows])}; "
          f"fine-tuning - R-Adapter ID (<= 1.5) {m([100 * (r['ft']['test'] - r['ra']['test']) for r in rows])}; "
          f"R-Adapter - zero-shot OOD (> 0) {m([o(r, 'ra') - o(r, 'zs') for r in rows])}; "
          f"R-Adapter - fine-tuning OOD {m([o(r, 'ra') - o(r, 'ft') for r in rows])}")
