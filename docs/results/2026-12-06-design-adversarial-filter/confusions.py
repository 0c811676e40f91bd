"""Entry 29: what fine-tuning and R-Adapter forget on the renditions. From run.sh's per-image
predictions (WORK = build/design-adversarial-filter): on every ood-val set, the images zero-shot
gets right and each tuned model gets wrong (and the reverse), with the commonest (true -> predicted)
pairs; and a picture, allographs.png: rows 1-2 printed ones and sixes both tuned models take for
sevens and fives, row 3 printed ones they keep, rows 4-6 handwritten sevens, fives and ones of
id/train (the first of each class folder).
usage: confusions.py WORK_DIR DATA_DIR OUT.png"""
import collections, json, os, struct, sys, zlib
import numpy as np
import pngio

work, data, out = sys.argv[1:4]
NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
SETS = ["uci-8x8", "printed-unseen", "outline-sketch", "pose-framing", "clutter-colour"]

def load(method, s):
    rows = sorted((json.loads(l) for l in open(f"{work}/{method}-{s}.jsonl")), key=lambda r: r["image"])
    return [(r["image"], int(r["image"].split("/")[-2]), NAMES.index(r["predictions"][0]["class"])) for r in rows]

for s in SETS:
    zs = load("zs", s)
    for m, label in (("ft", "fine-tuning"), ("ra", "R-Adapter")):
        tuned = load(m, s)
        lost = collections.Counter((t, p) for (_, t, pz), (_, _, p) in zip(zs, tuned) if pz == t and p != t)
        gained = sum(1 for (_, t, pz), (_, _, p) in zip(zs, tuned) if pz != t and p == t)
        pairs = ", ".join(f"{t}->{p} {n}" for (t, p), n in lost.most_common(4))
        print(f"{s:15s} {label:12s} of {len(zs)}: lost {sum(lost.values()):3d} (commonest {pairs}), gained {gained:3d}")

zs, ft, ra = load("zs", "printed-unseen"), load("ft", "printed-unseen"), load("ra", "printed-unseen")
both = lambda t, p: [z[0] for z, f, r in zip(zs, ft, ra) if z[1] == t and z[2] == t and f[2] == p and r[2] == p]
kept = [z[0] for z, f, r in zip(zs, ft, ra) if z[1] == 1 and f[2] == 1 and r[2] == 1]
first = lambda c: [f"{data}/id/train/{c}/{f}" for f in sorted(os.listdir(f"{data}/id/train/{c}"))[:8]]
rows = [both(1, 7)[:8], both(6, 5)[:8], kept[:8], first(7), first(5), first(1)]
grey = np.full((32, 32, 3), 128, np.uint8)
tiles = []
for r in rows:
    images = [pngio.read_png(p)[:, :, :3] for p in r] + [grey] * (8 - len(r))
    tiles.append(np.concatenate([np.pad(i, ((2, 2), (2, 2), (0, 0)), constant_values=128) for i in images], 1))
image = np.concatenate(tiles, 0).repeat(3, 0).repeat(3, 1)
h, w, _ = image.shape
chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
raw = b"".join(b"\x00" + image[y].tobytes() for y in range(h))
open(out, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                      + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
