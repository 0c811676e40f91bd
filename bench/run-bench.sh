#!/usr/bin/env bash
# Side-by-side benchmark: `radapter bench` against the eager-PyTorch peers (Debian's python3-torch,
# the same libtorch 1.13.1) on this machine, in this run: image-encoder inference and one
# R-Adapter training step, fp32 and bf16. Prints images/s, the ratios and peak memory.
#
#   bench/run-bench.sh [ARCH] [BATCH] [THREADS] [STEPS]      (defaults: ViT-B/32 16 2 5)
#
# BENCH_ROUNDS=N (default 1) runs every measurement N times, round after round so that a slow
# spell of a shared machine hits all of them alike, and reports each one's median run.
# BENCH_BF16=0 leaves out the bf16 columns (on a CPU without native bf16, eager bf16 autocast can
# take minutes a batch).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cli="${RADAPTER:-$here/../build/release/bin/radapter}"
arch="${1:-ViT-B/32}"; batch="${2:-16}"; threads="${3:-2}"; steps="${4:-5}"
rounds="${BENCH_ROUNDS:-1}"; bf16="${BENCH_BF16:-1}"
[ -x "$cli" ] || { echo "run-bench: $cli not found; build first (see README)." >&2; exit 1; }
py=/usr/bin/python3
# The eager peer runs with the library settings radapter chose for this machine (OpenBLAS's kernel
# set where OpenBLAS did not recognise the CPU, OpenMP's spin count), so the ratios compare the
# engines, not the environments.
eval "$("$cli" info --system | $py -c 'import json,sys; j=json.load(sys.stdin)
for k,v in j["environment"].items(): print(f"export {k}={v}")')"
common=(--arch "$arch" --batch "$batch" --threads "$threads" --steps "$steps")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# NAME COMMAND...: one measurement, its JSON kept as $out/NAME.ROUND. A run that fails (eager bf16
# where oneDNN's bf16 kernels are unavailable, e.g. under RADAPTER_CPU_ISA=avx2) leaves none: n/a.
measure() {
    local name=$1; shift
    "$@" > "$out/$name.$round" 2>/dev/null || rm -f "$out/$name.$round"
}
for round in $(seq "$rounds"); do
    measure ei32 $py "$here/eager_clip.py" "${common[@]}"
    measure oi32 "$cli" bench "${common[@]}" --mode inference --precision fp32
    measure oiau "$cli" bench "${common[@]}" --mode inference --precision auto
    measure et32 env -C "$here" $py eager_radapter_train.py "${common[@]}"
    measure ot32 "$cli" bench "${common[@]}" --mode train --precision fp32
    measure otau "$cli" bench "${common[@]}" --mode train --precision auto
    if [ "$bf16" != 0 ]; then
        measure ei16 $py "$here/eager_clip.py" "${common[@]}" --precision bf16
        measure oi16 "$cli" bench "${common[@]}" --mode inference --precision bf16
        measure et16 env -C "$here" $py eager_radapter_train.py "${common[@]}" --precision bf16
        measure ot16 "$cli" bench "${common[@]}" --mode train --precision bf16
    fi
done

"$cli" info --system | $py -c 'import json,sys; j=json.load(sys.stdin); c=j["cpu"]
print("CPU: %s (%s, ISA limit %s), %d logical cores; auto = %s; OpenBLAS: %s" % (c["model"], c["isa_class"],
      c["isa_limit"], c["logical_cores"], j["precision"]["auto"], j["libraries"]["openblas"]))'
$py - "$arch" "$batch" "$threads" "$rounds" "$out" <<'PY'
import glob, json, math, statistics, sys
arch, batch, threads, rounds, out = sys.argv[1:6]
I, T, M = "inference_img_per_s", "train_img_per_s", "peak_rss_mb"
nan = {I: math.nan, T: math.nan, M: math.nan, "compute_precision": "n/a"}
def median_run(name):
    runs = [json.load(open(f)) for f in sorted(glob.glob(f"{out}/{name}.*"))]
    if not runs: return nan
    key = I if name[1] == "i" else T
    runs.sort(key=lambda r: r[key])
    return runs[(len(runs) - 1) // 2]
ei32, ei16, et32, et16, oi32, oi16, ot32, ot16, oiau, otau = (median_run(n) for n in
    ("ei32", "ei16", "et32", "et16", "oi32", "oi16", "ot32", "ot16", "oiau", "otau"))
print(f"{arch}, batch {batch}, {threads} threads, median of {rounds} round(s) — images/s (ratio to eager fp32)")
print(f"inference   eager fp32 {ei32[I]:7.1f}   eager bf16 autocast {ei16[I]:7.1f} ({ei16[I]/ei32[I]:.2f}x)")
print(f"            radapter fp32 {oi32[I]:5.1f} ({oi32[I]/ei32[I]:.2f}x)   radapter bf16 {oi16[I]:7.1f} ({oi16[I]/ei32[I]:.2f}x)")
print(f"R-Adapter   eager fp32 {et32[T]:7.2f}   eager bf16 autocast {et16[T]:7.2f} ({et16[T]/et32[T]:.2f}x)")
print(f"train step  radapter fp32 {ot32[T]:5.2f} ({ot32[T]/et32[T]:.2f}x)   radapter bf16 {ot16[T]:7.2f} ({ot16[T]/et32[T]:.2f}x)")
print(f"auto        inference {oiau[I]:7.1f} ({oiau[I]/ei32[I]:.2f}x, runs {oiau['compute_precision']})   "
      f"train step {otau[T]:5.2f} ({otau[T]/et32[T]:.2f}x)")
print(f"peak memory (MB)  eager fp32 {et32[M]:.0f} / radapter fp32 {ot32[M]:.0f};  eager bf16 {et16[M]:.0f} / radapter bf16 {ot16[M]:.0f}")
PY
