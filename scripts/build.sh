#!/usr/bin/env bash
# Configures (once) and builds the release preset: binaries land in build/release/bin/.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/release/build.ninja ] || cmake --preset release
cmake --build --preset release
