#!/bin/sh
# Runs a test program under one of the project's ISA limits, or skips it (exit 77, ctest's
# SKIP_RETURN_CODE) where that run would not be meaningful:
#
#   tests/with-isa-limit.sh avx2|avx512 PROGRAM [ARGS...]
#
# The limit's variables come from CMake (the test's ENVIRONMENT). Why a wrapper: ATen takes
# ATEN_CPU_CAPABILITY at its word, so an avx2 run on a CPU without AVX2, or an avx512 run on one
# without the AVX-512 core subset, would stop at the first illegal instruction instead of testing
# anything. An avx512 run is the same as the plain run unless the CPU has native bf16 to switch
# off, so it runs only there: that is how an AVX512-BF16 or AMX machine also checks what a Xeon
# of the Skylake to Ice Lake generations (AVX-512, no native bf16) runs.
set -eu
limit=$1
shift
flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)
has() { for f in "$@"; do case " $flags " in *" $f "*) ;; *) return 1 ;; esac; done; }
case $limit in
avx2)
    has avx2 fma || { echo "skipped: this CPU has no AVX2 and FMA"; exit 77; } ;;
avx512)
    has avx512f avx512bw avx512vl avx512dq || { echo "skipped: this CPU has no AVX-512 core subset"; exit 77; }
    has avx512_bf16 || has amx_bf16 || { echo "skipped: no native bf16 here, so the plain run is this one"; exit 77; } ;;
*)
    echo "with-isa-limit.sh: '$limit' is not avx2 or avx512" >&2
    exit 2 ;;
esac
exec "$@"
