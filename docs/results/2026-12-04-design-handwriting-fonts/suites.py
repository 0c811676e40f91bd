"""Every suite that keeps the issue's taxonomy, one set per slot, the handwriting-typeface probes
standing in where they fit: the premise (zero-shot minus fine-tuning, bar >= 2), R-Adapter's lead
over zero-shot (bar > 0) and WiSE-FT 0.5's lead over both ends, best suites first."""
import itertools, json, sys

methods = json.load(open(sys.argv[1]))["methods"]
slots = {"V2": ["uci-8x8"], "R": ["printed-unseen", "hwfont-plain", "hwfont-inverted"],
         "Sketch": ["outline-sketch", "hwfont-thin"], "ObjectNet": ["pose-framing", "hwfont-turn", "hwfont-small"],
         "A": ["clutter-colour", "hwfont-clutter"]}
rows = []
for suite in itertools.product(*slots.values()):
    avg = lambda m: sum(100 * methods[m]["OOD"][s] for s in suite) / len(suite)
    zs, ft, wise, ra = avg("zero-shot"), avg("fine-tuning"), avg("WiSE-FT"), avg("R-Adapter")
    rows.append((min(zs - ft - 2, ra - zs, wise - max(zs, ft)), zs - ft, ra - zs, ra - ft, wise - max(zs, ft), suite))
print("| worst margin | zero-shot - FT | R-Adapter - zero-shot | R-Adapter - FT | WiSE-FT - both | suite |")
print("|---|---|---|---|---|---|")
for r in sorted(rows, reverse=True):
    print("| %.2f | %.2f | %.2f | %.2f | %.2f | %s |" % (r[:5] + (", ".join(r[5]),)))
