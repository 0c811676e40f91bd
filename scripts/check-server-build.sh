#!/usr/bin/env bash
# Builds the radapter CLI against this machine's PyTorch (the libtorch inside its wheel, or
# Debian's) without Qt or OpenCV, and checks it end to end on a small generated dataset:
# info --system, bench, a short R-Adapter training, a sweep, an export and the exported model's
# embeddings. For a server or a GPU machine before real work; every output lands in OUT.
#
#   scripts/check-server-build.sh [--deps BUNDLE.tar.xz | --cli PATH] [--device cpu|cuda] [--out DIR]
#
# --deps: headers and static libraries of ICU, SQLite and zlib made by
# packaging/build-deps-bundle.sh on a Debian machine, for machines without those packages.
# --cli: check a radapter already built (CI builds the cli-minimal preset against the bundle
# itself) instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
deps="" device=cpu out="" cli=""
while [ $# -gt 0 ]; do
    case "$1" in
    --deps) deps=$(realpath "$2"); shift 2 ;;
    --cli) cli=$(realpath "$2"); shift 2 ;;
    --device) device=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "check-server-build: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -z "$deps" ] || [ -z "$cli" ] || { echo "check-server-build: --deps builds a CLI, --cli checks one; give one of them" >&2; exit 2; }
work=$(mktemp -d)
out=${out:-$work/out}
mkdir -p "$out"
out=$(realpath "$out")
step() { echo "== $* ($(date +%T))"; }

if [ -z "$cli" ]; then
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
fi
[ -x "$cli" ] || { echo "check-server-build: $cli is not a program" >&2; exit 1; }
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
if [ "$device" != cpu ]; then
    # The same training on the CPU and on the device, with the same seed (adapter-dropping masks
    # are drawn on the CPU in both): the losses must agree within rounding (TF32 convolutions and
    # bf16 products round differently from the CPU's fp32, so a tolerance, not bit for bit).
    for precision in fp32 auto; do
        step "the same 6 steps on the CPU and on $device ($precision)"
        for d in cpu "$device"; do
            "$cli" --device "$d" train --project "$work/world/colours.json" --set precision=$precision \
                --set eval_every=2 --name "parity $d $precision" >"$out/parity-$d-$precision.log" 2>&1
        done
        python3 - "$out/parity-cpu-$precision.log" "$out/parity-$device-$precision.log" "$precision" <<'EOF'
import re, sys
def losses(path):
    return [float(m.group(1)) for m in re.finditer(r"loss (\S+)", open(path).read())]
a, b = losses(sys.argv[1]), losses(sys.argv[2])
worst = max(abs(x - y) / abs(x) for x, y in zip(a, b)) if a and len(a) == len(b) else float("inf")
print(f"losses on the CPU {a}\nlosses on the device {b}\nlargest relative difference {worst:.2e}")
sys.exit(0 if worst < (1e-2 if sys.argv[3] == "fp32" else 5e-2) else 1)
EOF
    done
    # Side by side with eager PyTorch on the same device (bench/'s peers), at a GPU's scale.
    for precision in fp32 bf16; do
        step "bench on $device beside eager PyTorch (ViT-B/16, batch 64, $precision)"
        r bench --arch ViT-B/16 --batch 64 --steps 10 --precision $precision >"$out/bench-b16-$precision.json"
        peer=(--arch ViT-B/16 --batch 64 --precision $precision --device "$device")
        python3 bench/eager_clip.py "${peer[@]}" --steps 10 >"$out/eager-b16-$precision.json"
        python3 bench/eager_radapter_train.py "${peer[@]}" --steps 10 >"$out/eager-train-b16-$precision.json"
        python3 - "$out"/{bench,eager,eager-train}-b16-$precision.json <<'EOF'
import json, sys
ours, eager, eager_train = (json.load(open(f)) for f in sys.argv[1:4])
for key, theirs in (("inference_img_per_s", eager), ("train_img_per_s", eager_train)):
    print(f"{key}: radapter {ours[key]:.0f}, eager PyTorch {theirs[key]:.0f}, ratio {ours[key] / theirs[key]:.2f}")
EOF
    done
fi
# A run killed (SIGKILL) on one device resumes from its checkpoint on the other and ends there (on
# a CPU-only machine: on the CPU, so that this part of the script runs, in CI, before a GPU needs it).
pairs=("cpu cpu")
[ "$device" != cpu ] && pairs=("$device cpu" "cpu $device")
for pair in "${pairs[@]}"; do
    set -- $pair
    step "killed on $1, resumed on $2"
    last=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT IFNULL(MAX(id),0) FROM runs").fetchone()[0])' "$RADAPTER_DB")
    "$cli" --device "$1" train --project "$work/world/colours.json" --set steps=60 --set checkpoint_every=3 \
        --set eval_every=6 --name "moved $1 to $2" >"$out/killed-on-$1.log" 2>&1 &
    pid=$!
    id=$(python3 - "$RADAPTER_DB" "$pid" "$last" <<'EOF'
import os, signal, sqlite3, sys, time
db, pid, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
deadline = time.time() + 120
while time.time() < deadline:
    try:
        c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        row = c.execute("SELECT run_id, MAX(step) FROM metrics WHERE key = 'loss' AND run_id > ?",
                        (last,)).fetchone()
        c.close()
        if row and row[1] is not None and row[1] >= 9:
            os.kill(pid, signal.SIGKILL)
            print(row[0])
            sys.exit(0)
    except sqlite3.Error:
        pass
    time.sleep(0.02)
sys.exit("the run did not reach step 9 in 120 s")
EOF
)
    wait "$pid" 2>/dev/null || true
    "$cli" --device "$2" train --resume "$id" | tee "$out/resumed-on-$2.log" | tail -2
    grep -q '"status":"finished","steps":60' "$out/resumed-on-$2.log"
done
# What this build cannot do on a GPU is one sentence on stderr and exit 1, never an abort.
oneSentence() {
    local name=$1
    shift
    local rc=0
    "$@" >/dev/null 2>"$out/$name.err" || rc=$?
    cat "$out/$name.err"
    # `train` first names its thread count on stderr; the refusal is the one line after it.
    [ "$rc" = 1 ] && [ "$(grep -cv '^radapter train: [0-9]* threads\? (' "$out/$name.err")" = 1 ]
}
step "refusals: a GPU index past the last (no GPU at all on a CPU-only libtorch)"
oneSentence no-such-gpu "$cli" --device cuda:99 embed --model "$work/merged.safetensors" --text "a red square"
if [ "$device" != cpu ]; then
    step "refusals: data-parallel training on GPUs"
    oneSentence gpu-data-parallel env WORLD_SIZE=2 RANK=0 LOCAL_RANK=0 MASTER_ADDR=127.0.0.1 MASTER_PORT=29571 \
        timeout 120 "$cli" --device "$device" train --project "$work/world/colours.json" --set threads=1
fi
step "done: $out"
# Everything but the outputs (which stay in OUT, by default a folder under $work).
find "$work" -mindepth 1 -maxdepth 1 ! -path "$out" ! -path "$(dirname "$out")" -exec rm -rf {} +
