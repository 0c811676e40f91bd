#!/usr/bin/env bash
# Checks that every C++ file follows .clang-format (the house style, CODESTYLE.md); the `format`
# test runs it. With --fix it rewrites the files instead. Formatting is defined by Debian 12's
# clang-format (14); scripts/install-deps.sh installs it.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "check-format: clang-format is not installed (scripts/install-deps.sh)"; exit 1; }
if [ -d .git ] || git rev-parse --git-dir >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.cpp' '*.h')
else
  mapfile -t files < <(find app core widgets tests bench -name '*.cpp' -o -name '*.h' 2>/dev/null)
fi
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
if ! clang-format --dry-run --Werror "${files[@]}" 2>/tmp/check-format.$$; then
  grep -E '^[^ ].*: (error|warning):' /tmp/check-format.$$ | cut -d: -f1,2 | sort -u | head -20
  rm -f /tmp/check-format.$$
  echo "check-format: the files above differ from .clang-format; scripts/check-format.sh --fix rewrites them"
  exit 1
fi
rm -f /tmp/check-format.$$
echo "check-format: ${#files[@]} files follow .clang-format"
