#!/usr/bin/env bash
# Quick start: install what is missing, build, start the Studio. Without a display the Studio
# says so and runs headless.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
exec build/release/bin/radapter-studio "$@"
