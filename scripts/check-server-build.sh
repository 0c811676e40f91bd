#!/usr/bin/env bash
# Builds the radapter CLI against this machine's PyTorch (the libtorch inside its wheel, or
# Debian's) without Qt or OpenCV, and checks it end to end on a small generated dataset:
# info --system, bench, a short R-Adapter training, a sweep, an export and the exported model's
# embeddings. For a server or a GPU machine before real work; every output lands in OUT.
#
#   scripts/check-server-build.sh [--deps BUNDLE.tar.xz] [--device cpu|cuda] [--out DIR]
#
# --deps: headers and static libraries of ICU, SQLite and zlib made by
# packaging/build-deps-bundle.sh on a Debian machine, for machines without those packages.
set -euo pipefail
cd "$(dirname "$0")/.."
deps="" device=cpu out=""
while [ $# -gt 0 ]; do
    case "$1" in
    --deps) deps=$(realpath "$2"); shift 2 ;;
    --device) device=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "check-server-build: unknown option $1" >&2; exit 2 ;;
    esac
done
work=$(mktemp -d)
out=${out:-$work/out}
mkdir -p "$out"
out=$(realpath "$out")
step() { echo "== $* ($(date +%T))"; }

cmakeArgs=(-G Ninja -DCMAKE_BUILD_TYPE=Release -DRA_BUILD_STUDIO=OFF -DRA_WITH_OPENCV=OFF)
prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null || true)
# Debian's python3-torch has no CMake files; its libtorch-dev is found without a prefix.
[ -n "$prefix" ] && [ -f "$prefix/Torch/TorchConfig.cmake" ] && cmakeArgs+=(-DCMAKE_PREFIX_PATH="$prefix")
if [ -n "$deps" ]; then
    mkdir -p "$work/deps"
    tar xJf "$deps" -C "$work/deps"
    cmakeArgs+=(-C "$work/deps/deps.cmake")
fi
step "configure (${cmakeArgs[*]})"
cmake -S . -B "$work/build" "${cmakeArgs[@]}" >"$out/configure.log" 2>&1 || { tail -30 "$out/configure.log"; exit 1; }
step build
cmake --build "$work/build" -j "$(nproc)" >"$out/build.log" 2>&1 || { grep -E "error|FAILED" "$out/build.log" | head -40; exit 1; }
cli=$work/build/bin/radapter
r() { "$cli" --device "$device" "$@"; }

step "info --system"
"$cli" info --system >"$out/system.json"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["cpu"]["model"], j["libraries"])' "$out/system.json"
step "bench (ViT-B/32, batch 16)"
r bench --arch ViT-B/32 --batch 16 --steps 3 | tee "$out/bench.json"

step "a small world: coloured squares (PPM), the golden reference CLIP"
python3 - "$work/world" <<'EOF'
import os, random, sys
root = sys.argv[1]
rng = random.Random(7)
colours = {"red": (220, 30, 30), "green": (30, 200, 30), "blue": (30, 30, 220)}
for split, n, bg in (("train", 24, 255), ("val", 8, 255), ("ood", 8, 128)):
    for name, rgb in colours.items():
        os.makedirs(f"{root}/{split}/{name}", exist_ok=True)
        for i in range(n):
            x0, y0, s = rng.randrange(16), rng.randrange(16), 8 + rng.randrange(8)
            px = bytearray()
            for y in range(32):
                for x in range(32):
                    inside = x0 <= x < x0 + s and y0 <= y < y0 + s
                    px += bytes(rgb) if inside else bytes((bg, bg, bg))
            with open(f"{root}/{split}/{name}/{i}.ppm", "wb") as f:
                f.write(b"P6\n32 32\n255\n" + px)
EOF
cat >"$work/world/colours.json" <<EOF
{"format": "radapter-project", "version": 1, "name": "colours", "task": "classification",
 "model": "$PWD/tests/data/golden/clip-ref/openai_layout.safetensors",
 "data": {"train": "train", "val": "val"}, "ood": {"grey": "ood"}, "templates": "short",
 "method": "radapter", "hyperparameters": {"steps": 6, "batch": 12, "lr": 0.01, "eval_every": 3}}
EOF
export RADAPTER_DB=$work/runs.sqlite
step "train (6 steps)"
r train --project "$work/world/colours.json" | tee "$out/train.log"
step "sweep"
r sweep --run 1 --alphas 0:1:0.5 | tee "$out/sweep.log"
step "export and embed the merged model"
r export --run 1 --alpha 1 --layout openai --out "$work/merged.safetensors" | tee "$out/export.log"
r embed --model "$work/merged.safetensors" --image "$work/world/val/red/0.ppm" --text "a red square" \
    >"$out/embed.json"
head -c 300 "$out/embed.json"
echo
if [ "$device" != cpu ]; then
    # The same embeddings on the CPU: the device must compute the same function (TF32 or bf16
    # kernels round differently, so within a tolerance, not bit for bit).
    step "the same embeddings on the CPU"
    "$cli" embed --model "$work/merged.safetensors" --image "$work/world/val/red/0.ppm" --text "a red square" \
        >"$out/embed-cpu.json"
    python3 - "$out/embed.json" "$out/embed-cpu.json" <<'EOF'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
worst = 0.0
for key in ("image", "text"):
    for ra, rb in zip(a[key], b[key]):
        scale = max(abs(v) for v in rb)
        worst = max(worst, max(abs(x - y) for x, y in zip(ra, rb)) / scale)
print(f"largest difference, relative to each embedding's largest entry: {worst:.2e}")
sys.exit(0 if worst < 2e-2 else 1)
EOF
fi
step "done: $out"
# Everything but the outputs (which stay in OUT, by default a folder under $work).
find "$work" -mindepth 1 -maxdepth 1 ! -path "$out" ! -path "$(dirname "$out")" -exec rm -rf {} +
