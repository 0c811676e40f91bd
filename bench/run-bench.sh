#!/usr/bin/env bash
# Side-by-side benchmark: `radapter bench` against the eager-PyTorch peers (Debian's python3-torch,
# the same libtorch 1.13.1) on this machine, in this run: image-encoder inference and one
# R-Adapter training step, fp32 and bf16. Prints images/s, the ratios and peak memory.
#
#   bench/run-bench.sh [ARCH] [BATCH] [THREADS] [STEPS]      (defaults: ViT-B/32 16 2 5)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cli="${RADAPTER:-$here/../build/release/bin/radapter}"
arch="${1:-ViT-B/32}"; batch="${2:-16}"; threads="${3:-2}"; steps="${4:-5}"
[ -x "$cli" ] || { echo "run-bench: $cli not found; build first (see README)." >&2; exit 1; }
py=/usr/bin/python3
# The eager peer runs with the library settings radapter chose for this machine (OpenBLAS's kernel
# set where OpenBLAS did not recognise the CPU, OpenMP's spin count), so the ratios compare the
# engines, not the environments.
eval "$("$cli" info --system | $py -c 'import json,sys; j=json.load(sys.stdin)
for k,v in j["environment"].items(): print(f"export {k}={v}")')"
common=(--arch "$arch" --batch "$batch" --threads "$threads" --steps "$steps")

ei32=$($py "$here/eager_clip.py" "${common[@]}")
# Eager bf16 can fail where oneDNN's bf16 kernels are unavailable (e.g. under RADAPTER_CPU_ISA=avx2):
# then its column says n/a.
ei16=$($py "$here/eager_clip.py" "${common[@]}" --precision bf16 2>/dev/null || echo '{}')
et32=$(cd "$here" && $py eager_radapter_train.py "${common[@]}")
et16=$(cd "$here" && $py eager_radapter_train.py "${common[@]}" --precision bf16 2>/dev/null || echo '{}')
oi32=$("$cli" bench "${common[@]}" --mode inference)
oi16=$("$cli" bench "${common[@]}" --mode inference --precision bf16)
oiau=$("$cli" bench "${common[@]}" --mode inference --precision auto)
ot32=$("$cli" bench "${common[@]}" --mode train)
ot16=$("$cli" bench "${common[@]}" --mode train --precision bf16)
otau=$("$cli" bench "${common[@]}" --mode train --precision auto)

"$cli" info --system | $py -c 'import json,sys; j=json.load(sys.stdin); c=j["cpu"]
print("CPU: %s (%s, ISA limit %s), %d logical cores; auto = %s; OpenBLAS: %s" % (c["model"], c["isa_class"],
      c["isa_limit"], c["logical_cores"], j["precision"]["auto"], j["libraries"]["openblas"]))'
$py - "$arch" "$batch" "$threads" "$ei32" "$ei16" "$et32" "$et16" "$oi32" "$oi16" "$ot32" "$ot16" "$oiau" "$otau" <<'PY'
import json, sys
arch, batch, threads = sys.argv[1:4]
ei32, ei16, et32, et16, oi32, oi16, ot32, ot16, oiau, otau = (json.loads(a) for a in sys.argv[4:14])
I, T, M = "inference_img_per_s", "train_img_per_s", "peak_rss_mb"
for failed in (ei16, et16):  # an eager bf16 run that could not run: n/a
    if not failed: failed.update({I: float("nan"), T: float("nan"), M: float("nan")})
print(f"{arch}, batch {batch}, {threads} threads — images/s (ratio to eager fp32)")
print(f"inference   eager fp32 {ei32[I]:7.1f}   eager bf16 autocast {ei16[I]:7.1f} ({ei16[I]/ei32[I]:.2f}x)")
print(f"            radapter fp32 {oi32[I]:5.1f} ({oi32[I]/ei32[I]:.2f}x)   radapter bf16 {oi16[I]:7.1f} ({oi16[I]/ei32[I]:.2f}x)")
print(f"R-Adapter   eager fp32 {et32[T]:7.2f}   eager bf16 autocast {et16[T]:7.2f} ({et16[T]/et32[T]:.2f}x)")
print(f"train step  radapter fp32 {ot32[T]:5.2f} ({ot32[T]/et32[T]:.2f}x)   radapter bf16 {ot16[T]:7.2f} ({ot16[T]/et32[T]:.2f}x)")
print(f"auto        inference {oiau[I]:7.1f} ({oiau[I]/ei32[I]:.2f}x, runs {oiau['compute_precision']})   "
      f"train step {otau[T]:5.2f} ({otau[T]/et32[T]:.2f}x)")
print(f"peak memory (MB)  eager fp32 {et32[M]:.0f} / radapter fp32 {ot32[M]:.0f};  eager bf16 {et16[M]:.0f} / radapter bf16 {ot16[M]:.0f}")
PY
