#!/usr/bin/env bash
# docs/screenshots/demo-sets.png: one row per set of the demo world (the ID set, then the OOD
# suite in the order of docs/ood-suite.md), ten digits each, from the design halves (ood-val);
# even digits show a set's first image, odd ones its last, so the two mixed sets show both their
# handwritten and their rendered halves.
# Needs the prepared data (`radapter prepare-demo`) and ImageMagick's montage.
set -euo pipefail
cd "$(dirname "$0")/.."
data=projects/digits-shift/data
out=docs/screenshots/demo-sets.png
rows=()
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for set in id/test ood-val/uci-8x8 ood-val/printed-unseen ood-val/outline-sketch ood-val/pose-framing ood-val/clutter-colour; do
    files=()
    for d in 0 1 2 3 4 5 6 7 8 9; do
        if [ $((d % 2)) = 0 ]; then files+=("$(ls "$data/$set/$d"/*.png | sed -n 3p)")
        else files+=("$(ls "$data/$set/$d"/*.png | tail -n 3 | head -n 1)"); fi
    done
    row="$tmp/$(echo "$set" | tr / -).png"
    montage "${files[@]}" -tile 10x1 -geometry 64x64+3+3 -filter point "$row"
    rows+=("$row")
done
montage "${rows[@]}" -tile 1x -geometry +0+2 "$out"
echo "$out"
