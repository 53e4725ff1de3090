#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite with CTest.
#   scripts/test.sh              normal build
#   scripts/test.sh --sanitize   the same suite under ASan + UBSan
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
build_dir=build
if [[ "${1:-}" == "--sanitize" ]]; then
  build_dir=build-asan
  scripts/build.sh --sanitize
else
  scripts/build.sh
fi
# Tests that start servers and daemons are light on CPU; two at a time keeps
# the 2-core machine responsive without serialising everything.
ctest --test-dir "$build_dir" --output-on-failure -j 2
