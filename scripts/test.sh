#!/usr/bin/env bash
# The whole test suite: install what is missing, build, run every ctest test (labels: core, gui, style,
# slow). Extra arguments go to ctest, e.g. `scripts/test.sh -L core`.
#
# Tests run as many at a time as there are cores, at most four (CTEST_PARALLEL_LEVEL overrides; 1 runs
# them one by one). Why: the long tests (the Studio, the CLI, the run store's data-loss checks) keep
# about one core busy each, so on two cores the suite takes ~340 s instead of ~430; beyond four the
# Studio's test (~130 s) bounds the time anyway, and the demo's tests hold ~1.2 GB each. Each test has
# its own temporary folders, and what they share, the kernel cache and the demo's prepared data, is
# written under a lock (flock) and renamed into place, so running side by side only makes each test
# slower, which their signal-based waits allow for.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cores=$(nproc)
ctest --preset release -j "${CTEST_PARALLEL_LEVEL:-$((cores < 4 ? cores : 4))}" "$@"
