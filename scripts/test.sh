#!/usr/bin/env bash
# The whole test suite: install what is missing, build, run every ctest test (labels: core, gui, style,
# slow). Extra arguments go to ctest, e.g. `scripts/test.sh -L core`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
ctest --preset release "$@"
