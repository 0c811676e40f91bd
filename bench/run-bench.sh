#!/usr/bin/env bash
# Side-by-side benchmark: `radapter bench` against the eager-PyTorch peer (Debian's python3-torch,
# the same libtorch 1.13.1) on this machine, in this run. Prints images/s of both and the ratios.
#
#   bench/run-bench.sh [ARCH] [BATCH] [THREADS] [STEPS]      (defaults: ViT-B/32 16 2 10)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cli="${RADAPTER:-$here/../build/release/bin/radapter}"
arch="${1:-ViT-B/32}"; batch="${2:-16}"; threads="${3:-2}"; steps="${4:-10}"
[ -x "$cli" ] || { echo "run-bench: $cli not found; build first (see README)." >&2; exit 1; }
py=/usr/bin/python3
field() { $py -c "import json,sys; print(json.loads(sys.stdin.read())['$1'])"; }

eager_fp32=$($py "$here/eager_clip.py" --arch "$arch" --batch "$batch" --threads "$threads" --steps "$steps" | field inference_img_per_s)
eager_bf16=$($py "$here/eager_clip.py" --arch "$arch" --batch "$batch" --threads "$threads" --steps "$steps" --precision bf16 | field inference_img_per_s)
ours_fp32=$("$cli" bench --arch "$arch" --batch "$batch" --threads "$threads" --steps "$steps" | field inference_img_per_s)
ours_bf16=$("$cli" bench --arch "$arch" --batch "$batch" --threads "$threads" --steps "$steps" --precision bf16 | field inference_img_per_s)

$py - "$arch" "$batch" "$threads" "$eager_fp32" "$eager_bf16" "$ours_fp32" "$ours_bf16" <<'PY'
import sys
arch, batch, threads = sys.argv[1:4]
ef, eb, of, ob = map(float, sys.argv[4:8])
print(f"inference, {arch}, batch {batch}, {threads} threads (images/s)")
print(f"  eager PyTorch fp32          {ef:8.1f}")
print(f"  eager PyTorch bf16 autocast {eb:8.1f}   ({eb/ef:.2f}x eager fp32)")
print(f"  radapter fp32               {of:8.1f}   ({of/ef:.2f}x eager fp32)")
print(f"  radapter bf16               {ob:8.1f}   ({ob/ef:.2f}x eager fp32, {ob/eb:.2f}x eager bf16)")
PY
