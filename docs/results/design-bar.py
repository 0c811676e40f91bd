"""The bar's parts (ood-suite.md) from `radapter demo --json` outputs of the design demo, one line
a run: zero-shot, fine-tuning, WiSE-FT 0.5 and R-Adapter at its chosen alpha (ID / OOD average),
then the premise's OOD drop (bar >= 2), R-Adapter minus zero-shot (bar > 0), R-Adapter minus
fine-tuning on OOD (entry 17's target: >= 3) and R-Adapter's ID gap to fine-tuning (bar <= 1.5).
usage: design-bar.py RUN.json ..."""
import json, sys

for path in sys.argv[1:]:
    m = json.load(open(path))["methods"]
    pt = lambda k: (100 * m[k]["ID"], 100 * m[k]["OOD_avg"])
    zs, ft, wise, ra = pt("zero-shot"), pt("fine-tuning"), pt("WiSE-FT"), pt("R-Adapter")
    print(f"{path}: zero-shot {zs[0]:.1f} / {zs[1]:.1f}, fine-tuning {ft[0]:.1f} / {ft[1]:.1f}, "
          f"WiSE-FT 0.5 {wise[0]:.1f} / {wise[1]:.1f}, R-Adapter {m['R-Adapter']['alpha']:.1f}: "
          f"{ra[0]:.1f} / {ra[1]:.1f}")
    print(f"  premise {zs[1] - ft[1]:+.2f}  R-Adapter - zero-shot {ra[1] - zs[1]:+.2f}  "
          f"R-Adapter - fine-tuning {ra[1] - ft[1]:+.2f}  ID gap {ft[0] - ra[0]:.2f}")
    for k in ("zero-shot", "fine-tuning", "WiSE-FT", "R-Adapter"):
        print(f"  {k:12s}" + "  ".join(f"{s} {100 * v:.1f}" for s, v in sorted(m[k]["OOD"].items())))
