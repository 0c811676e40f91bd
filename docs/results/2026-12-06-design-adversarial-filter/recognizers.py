"""Two classic recognizers trained on the ID training set (the analogue of ImageNet-A's filter, a
ResNet-50 trained on ImageNet): an RBF SVM on grey pixels and one on HOG features (8-pixel cells,
9 unsigned orientations, 2x2-cell blocks). Writes WORK/recognizer-{pixels,hog}.json: for each
ood-val set, the file paths (sorted) and each recognizer's predicted class.
usage: recognizers.py DATA_DIR WORK_DIR"""
import json, sys
import numpy as np
from sklearn.svm import SVC
import pngio

data, work = sys.argv[1], sys.argv[2]
SETS = ["uci-8x8", "printed-unseen", "outline-sketch", "pose-framing", "clutter-colour"]

def grey(X):
    return X.astype(np.float32).mean(axis=3) / 255.0

def hog(G):
    gy, gx = np.gradient(G, axis=(1, 2))
    mag, ang = np.hypot(gx, gy), np.degrees(np.arctan2(gy, gx)) % 180.0
    bins = np.minimum((ang / 20).astype(int), 8)
    n = G.shape[0]
    cells = np.zeros((n, 4, 4, 9), np.float32)
    for cy in range(4):
        for cx in range(4):
            m = mag[:, cy * 8:(cy + 1) * 8, cx * 8:(cx + 1) * 8].reshape(n, -1)
            b = bins[:, cy * 8:(cy + 1) * 8, cx * 8:(cx + 1) * 8].reshape(n, -1)
            for k in range(9):
                cells[:, cy, cx, k] = (m * (b == k)).sum(1)
    blocks = []
    for by in range(3):
        for bx in range(3):
            v = cells[:, by:by + 2, bx:bx + 2].reshape(n, -1)
            blocks.append(v / (np.linalg.norm(v, axis=1, keepdims=True) + 1e-6))
    return np.concatenate(blocks, 1)

features = {"pixels": lambda X: grey(X).reshape(len(X), -1), "hog": lambda X: hog(grey(X))}
Xtr, ytr, _ = pngio.load_set(data + "/id/train")
Xte, yte, _ = pngio.load_set(data + "/id/test")
sets = {s: pngio.load_set(data + "/ood-val/" + s) for s in SETS}
for name, f in features.items():
    clf = SVC(C=10, gamma="scale").fit(f(Xtr), ytr)
    out = {s: {"files": n, "predicted": clf.predict(f(X)).tolist()} for s, (X, y, n) in sets.items()}
    json.dump(out, open(f"{work}/recognizer-{name}.json", "w"))
    print(f"{name} SVM: ID test {100 * (clf.predict(f(Xte)) == yte).mean():.1f} %, " + ", ".join(
        f"{s} {100 * (np.array(out[s]['predicted']) == sets[s][1]).mean():.1f}" for s in SETS))
