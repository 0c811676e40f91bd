#!/usr/bin/env bash
# Contention benchmark: an R-Adapter training step with --threads 1, alone and beside other work on
# the same CPU -- one CPU-bound process (a busy loop), then a second training using every core. A
# desktop app shares its CPU with the GUI, a browser, another run: a run told to use one thread
# must use one core's worth and sleep, not spin, while it waits. The bar: beside one CPU-bound
# process a step takes at most 2.2x its time alone on 2 cores.
#
#   bench/contention.sh [ARCH] [BATCH] [STEPS]      (defaults: ViT-B/32 8 3)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cli="${RADAPTER:-$here/../build/release/bin/radapter}"
arch="${1:-ViT-B/32}"; batch="${2:-8}"; steps="${3:-3}"
[ -x "$cli" ] || { echo "contention: $cli not found; build first (see README)." >&2; exit 1; }
step() { # seconds per training step, --threads 1
  "$cli" --threads 1 bench --arch "$arch" --batch "$batch" --steps "$steps" --warmup 1 --mode train --precision fp32 |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["train_s_per_step"])'
}
alone=$(step)
/usr/bin/python3 -c 'while True: pass' & busy=$!
beside_busy=$(step)
kill "$busy"; wait "$busy" 2>/dev/null || true
"$cli" --threads 0 bench --arch "$arch" --batch "$batch" --steps 1000 --warmup 0 --mode train --precision fp32 >/dev/null 2>&1 & other=$!
sleep 5 # let the second training get going
beside_training=$(step)
kill "$other"; wait "$other" 2>/dev/null || true
/usr/bin/python3 - "$alone" "$beside_busy" "$beside_training" "$(nproc)" <<'PY'
import sys
alone, busy, training, cores = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
print(f"training step with --threads 1 on {cores} cores, seconds per step (ratio to alone)")
print(f"alone                                   {alone:7.2f}")
print(f"beside one CPU-bound process            {busy:7.2f} ({busy/alone:.2f}x; bar 2.2x)")
print(f"beside a second training on every core  {training:7.2f} ({training/alone:.2f}x)")
PY
