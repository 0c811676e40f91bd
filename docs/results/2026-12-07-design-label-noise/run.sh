#!/usr/bin/env bash
# ood-suite.md, entry 31: wrong labels in the ID training set, as ImageNet's have.
# Every earlier world trained on OpenCV's handwritten digits with clean labels. ImageNet's training
# labels are not clean (re-annotation studies find several per cent wrong or ambiguous), and that is
# one reason its WiSE-FT curve bows above fine-tuning's ID: fine-tuning fits some of the noise, the
# zero-shot model fits none, and their interpolation cancels part of it. Here the ID validation
# curve keeps rising past alpha 1, so the one-standard-error rule stops at 1.1-1.3 where robustness
# is spent (entries 4-30). Would training labels with some noise make the adapters' extrapolation
# (alpha > 1) amplify the fitted noise, so that ID validation saturates before alpha 1 and the rule
# stops where zero-shot's robustness is kept? Validation and test labels stay clean; both methods
# train on the same noisy set.
# Variants: a share r of each class's training images (floor(r * n), the images drawn with a fixed
# seed) gets a label drawn uniformly from the nine other classes; r = 0 (the shipped set, the same
# binary), 0.1 and 0.2.
# Written before any variant was run:
#   - seed 0 first (design demo, ood-val only, the demo's recipe); a variant goes on to seeds 1
#     and 2 only if on seed 0 every part of the bar holds (premise >= 2, fine-tuning's ID gain
#     >= 10, WiSE-FT 0.5 above both ends on OOD average, R-Adapter within 1.5 of fine-tuning's ID
#     and above fine-tuning's and zero-shot's OOD average);
#   - a variant is adopted only if every part of the bar holds on each of seeds 0-2 (entry 25's
#     rule); ood-test is not read.
# usage: run.sh [SEED [RATE ...]]   (default: seed 0, rates 0 0.1 0.2); writes SEED-RATE.json here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$root/build/design-label-noise
seed=${1:-0}
shift || true
rates=("$@")
[ ${#rates[@]} -gt 0 ] || rates=(0 0.1 0.2)
for r in "${rates[@]}"; do
    train=$work/train-$r
    if [ ! -d "$train" ]; then
        /usr/bin/python3 - "$root/projects/digits-shift/data/id/train" "$train" "$r" <<'PY'
import os, random, shutil, sys
src, dst, rate = sys.argv[1], sys.argv[2], float(sys.argv[3])
rng = random.Random(31)
classes = sorted(os.listdir(src))
tmp = dst + ".tmp"
shutil.rmtree(tmp, ignore_errors=True)
for c in classes:
    os.makedirs(os.path.join(tmp, c))
moved = 0
for c in classes:
    files = sorted(os.listdir(os.path.join(src, c)))
    wrong = set(rng.sample(files, int(rate * len(files))))
    for f in files:
        label = rng.choice([k for k in classes if k != c]) if f in wrong else c
        shutil.copyfile(os.path.join(src, c, f), os.path.join(tmp, label, c + "-" + f))
    moved += len(wrong)
os.rename(tmp, dst)
print(f"{dst}: {moved} of {sum(len(os.listdir(os.path.join(src, c))) for c in classes)} labels wrong", file=sys.stderr)
PY
    fi
    "$here/../design-demo-with-model.sh" "$root/resources/models/glyphclip-tiny.safetensors" \
        "$work/run-$r" "$seed" "train=$train" > "$here/$seed-$r.json"
    /usr/bin/python3 "$here/../design-bar.py" "$here/$seed-$r.json" | sed -n 1,2p
done
