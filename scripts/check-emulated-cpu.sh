#!/usr/bin/env bash
# Runs radapter and the test programs on an emulated CPU without AVX-512: by default
# `qemu-x86_64 -cpu EPYC-Milan` (AMD Zen 3: AVX2 and FMA, no AVX-512, no native bf16), what most
# laptops are; `--cpu qemu64` is the baseline x86-64 CPU many virtual machines show (SSE3, no
# AVX). QEMU implements no AVX-512 instruction, so a kernel, a library or a compiler flag that
# used one where the CPU has none would stop the program with SIGILL (the script first checks
# that it does), as would any instruction the emulated model lacks. This checks CPU detection,
# `auto` precision, bf16 requested without native support and the kernel calibration on that
# CPU, on any x86-64 machine, AVX-512 ones included. It checks correctness, not speed: emulation
# is about 80x slower than the real CPU.
#
#   scripts/check-emulated-cpu.sh [--cpu MODEL] [--quick] [--full] [BUILD_DIR]   (default: build/release)
#
# --quick: `info --system` and `bench` only (about a minute), not the test programs (about 2 min more).
# --full: tst_engine whole (not the functions named below), and MODEL for everything (below).
#
# Some hosts (the Intel Xeon with AMX these checks ran on, 2026-12-06) stall for ~100 ns on every SSE
# instruction run while the upper half of a 256-bit register is in use. QEMU's translation of AVX2
# code leaves it in use and its floating-point helpers are SSE code, so there an emulated AVX2 CPU
# runs ~25x slower than an emulated SSE4 one (one training step of the demo's model: 95 s against
# 4 s), and the test programs would take hours. The script measures that stall first; where it is
# found, `bench` runs on a batch of one, and the test programs run on an emulated Nehalem (SSE4.2,
# no AVX at all, so no stall; the same kind of check, stricter) instead of MODEL, saying so.
# --full emulates MODEL for everything regardless.
# Needs qemu-user (scripts/install-deps.sh installs it). Every program's output lands in
# BUILD_DIR/emulated-cpu/; a failure prints the end of its log.
set -euo pipefail
cd "$(dirname "$0")/.."
cpu=EPYC-Milan quick=0 full=0
while [ $# -gt 0 ]; do
    case "$1" in
    --cpu) cpu=$2; shift 2 ;;
    --quick) quick=1; shift ;;
    --full) full=1; shift ;;
    -*) echo "check-emulated-cpu: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
done
build=$(realpath "${1:-build/release}")
bin=$build/bin
command -v qemu-x86_64 >/dev/null || { echo "check-emulated-cpu: qemu-x86_64 is missing (Debian: qemu-user; scripts/install-deps.sh)" >&2; exit 1; }
# radapter-engine, not radapter: radapter hands every computing command to radapter-engine by
# exec, and qemu-x86_64 would run that new program on the real CPU (app/cli/engine.h).
engine=$bin/radapter-engine
[ -x "$engine" ] || { echo "check-emulated-cpu: $engine is missing; build first (scripts/build.sh)" >&2; exit 1; }
out=$build/emulated-cpu
rm -rf "$out" && mkdir -p "$out"
step() { echo "== $* ($(date +%T))"; }
fail() { echo "check-emulated-cpu: $*" >&2; exit 1; }
# QEMU warns once per start about host-only features of the model (pcid, rdseed, ...).
emulate() { qemu-x86_64 -cpu "$cpu" "$@" 2> >(grep -v "TCG doesn't support requested feature" >&2); }

# The check means something only if an AVX-512 instruction does stop a program here.
step "the emulated $cpu refuses AVX-512"
printf 'int main() { __asm__ volatile("vpxorq %%zmm0, %%zmm0, %%zmm0"); return 0; }\n' >"$out/avx512.c"
cc -O0 -o "$out/avx512" "$out/avx512.c"
if emulate "$out/avx512" 2>/dev/null; then fail "qemu ran an AVX-512 instruction on $cpu; this check would prove nothing"; fi

# The programs choose the library variables they need on this CPU, and re-execute themselves once
# where OpenBLAS's own kernel choice must change (platform/processenvironment.h: qemu64, for one),
# and a re-executed program runs on the real CPU, outside the emulator. So the first program's
# choice, made on the emulated CPU, is read back from its `info --system` (or the one it
# re-executed into) and set here; with those set no program re-executes, which the second
# `info --system` shows by naming the emulated CPU.
library_variables=(OPENBLAS_CORETYPE OPENBLAS_L2_SIZE RADAPTER_CPU_ISA ONEDNN_MAX_CPU_ISA ATEN_CPU_CAPABILITY
    GOMP_SPINCOUNT OMP_WAIT_POLICY RADAPTER_ENV_PREPARED)
unset "${library_variables[@]}"
export RADAPTER_EMULATED_CPU=$cpu QT_QPA_PLATFORM=offscreen
export RADAPTER_KERNEL_CACHE=$out/kernels.json XDG_DATA_HOME=$out/data-home XDG_CACHE_HOME=$out/cache
# Sets the variables the program chose on the emulated CPU (written by `info --system` to FILE).
adopt_environment() {
    eval "$(python3 -c 'import json, shlex, sys
for k, v in json.load(open(sys.argv[1]))["environment"].items(): print(f"export {k}={shlex.quote(v)}")' "$1")"
}

# The host's stall on SSE code after 256-bit AVX code (see the top): the same SSE loop timed with the
# upper halves clean and in use. About 1x where there is none, 50x on the Intel host it was found on.
step "does this host stall on SSE code after AVX code?"
cat >"$out/sse-after-avx.c" <<'EOF'
#include <stdio.h>
#include <time.h>
__attribute__((noinline, target("no-avx"))) static float sse_step(float a) { return a * 1.0000001f + 1e-9f; }
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static double loop(int dirty) {
    volatile float s = 1; double t = now();
    for (long i = 0; i < 2000000; i++) {
        if (dirty) __asm__ volatile("vpcmpeqd %%ymm1, %%ymm1, %%ymm1" ::: "xmm1");
        else __asm__ volatile("vpcmpeqd %%xmm1, %%xmm1, %%xmm1\n vzeroupper" ::: "xmm1");
        s = sse_step(s);
    }
    return now() - t;
}
/* The best of five of each, so that a moment without the core (CI runs this beside a build)
   cannot pass for a stall. */
int main(void) {
    double clean = 1e9, dirty = 1e9;
    for (int i = 0; i < 5; i++) {
        double c = loop(0), d = loop(1);
        if (c < clean) clean = c;
        if (d < dirty) dirty = d;
    }
    printf("%.1f\n", dirty / clean);
    return 0;
}
EOF
stall=1
tests_cpu=$cpu bench_batch=8
if grep -qw avx2 /proc/cpuinfo && cc -O2 -o "$out/sse-after-avx" "$out/sse-after-avx.c"; then
    stall=$("$out/sse-after-avx")
    echo "SSE code after 256-bit AVX code: ${stall}x its time after clean registers"
fi

step "info --system"
emulate "$engine" info --system >"$out/system-chosen.json"
adopt_environment "$out/system-chosen.json"
"$engine" info --system >"$out/system-host.json"
emulate "$engine" info --system >"$out/system.json"
python3 - "$out/system.json" "$out/system-host.json" <<'EOF'
import json, sys
s, host = (json.load(open(f)) for f in sys.argv[1:])
cpu, precision = s["cpu"], s["precision"]
print(f'{cpu["model"]}: ISA class {cpu["isa_class"]}, auto = {precision["auto"]}, bf16 = {precision["bf16"]}, '
      f'{s["libraries"]["openblas"]}, ATen {s["libraries"]["aten_cpu_capability"]}; variables {s["environment"]}')
assert cpu["model"] != host["cpu"]["model"], "the program left the emulator (it re-executed itself)"
assert not cpu["features"]["avx512f"], "the emulated CPU reports AVX-512"
assert precision["auto"] == "fp32" and precision["bf16"] == "bf16-emulated", precision
EOF
if [ $full -eq 0 ] && python3 -c 'import sys; sys.exit(not float(sys.argv[1]) > 5)' "$stall" &&
    python3 -c 'import json, sys; sys.exit(not json.load(open(sys.argv[1]))["cpu"]["features"]["avx2"])' "$out/system.json"; then
    tests_cpu=Nehalem bench_batch=1
    echo "This host stalls on SSE code after AVX code (${stall}x), which makes an emulated AVX2 CPU ~25x" \
        "slower here: bench on a batch of one, the test programs on an emulated Nehalem (no AVX) instead" \
        "of $cpu (--full: everything on $cpu, hours here)"
fi

step "bench (the demo's model, one step) in auto (= fp32 here) and bf16"
for precision in auto bf16; do
    emulate "$engine" bench --arch glyph-tiny --batch "$bench_batch" --steps 1 --precision $precision \
        >"$out/bench-$precision.json" 2>"$out/bench-$precision.log" || { tail -5 "$out/bench-$precision.log"; fail "bench --precision $precision failed"; }
    python3 -c 'import json, sys; b = json.load(open(sys.argv[1])); print(sys.argv[2], "ran as", b["compute_precision"], "-", round(b["train_img_per_s"], 2), "training images/s emulated")' \
        "$out/bench-$precision.json" $precision
done

if [ $quick -eq 1 ]; then
    echo "check-emulated-cpu: info and bench passed on the emulated $cpu (no AVX-512)"
    exit 0
fi

# The test programs that run their work in their own process (the ones that start radapter
# as a child process would run it on the real CPU).
tests=(tst_tokenizer tst_safetensors tst_platform tst_checkpoint tst_preprocess tst_adapters tst_runstore
       tst_sampler tst_zeroshot tst_engine)
# tst_engine whole takes 3 minutes emulated; without --full it runs the functions that reach a
# kernel path the others do not: every method's training step, resume and interpolation, the
# R-Adapter run to the end with its evaluations, an export, the retrieval task (1 minute).
declare -A functions=()
[ $full -eq 1 ] || functions[tst_engine]="radapterLearnsAndKeepsZeroShotAtAlphaZero everyMethodResumesAndInterpolates
    exportedModelEmbedsLikeTheRun retrievalProjectTrains"
if [ "$tests_cpu" != "$cpu" ]; then
    step "the test programs on the emulated $tests_cpu"
    cpu=$tests_cpu
    unset "${library_variables[@]}"
    export RADAPTER_EMULATED_CPU=$cpu RADAPTER_KERNEL_CACHE=$out/kernels-$cpu.json
    emulate "$engine" info --system >"$out/system-$cpu.json"
    adopt_environment "$out/system-$cpu.json"
fi
failed=()
for t in "${tests[@]}"; do
    step "$t"
    # shellcheck disable=SC2086 # the function names are words
    if emulate "$bin/$t" ${functions[$t]:-} >"$out/$t.log" 2>&1; then
        grep "^Totals" "$out/$t.log"
    else
        grep -E "^(FAIL|Totals)|Loc:" "$out/$t.log" | head -20 || tail -20 "$out/$t.log"
        failed+=("$t")
    fi
done
[ ${#failed[@]} -eq 0 ] || fail "failed on the emulated $cpu: ${failed[*]} (logs in $out)"
echo "check-emulated-cpu: everything passed on the emulated $cpu (no AVX-512)"
