#!/usr/bin/env bash
# Configures and builds sonde with CMake + Ninja (+ ccache when present).
#   scripts/build.sh              -> build/        (RelWithDebInfo)
#   scripts/build.sh --sanitize   -> build-asan/   (ASan + UBSan, Debug)
# Extra arguments after the options go to ninja (e.g. a target name).
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build
cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [[ "${1:-}" == "--sanitize" ]]; then
  shift
  build_dir=build-asan
  cmake_args=(-DCMAKE_BUILD_TYPE=Debug -DSONDE_SANITIZE=ON)
fi

# Two cores and a heavy header set: more jobs than cores only thrashes.
jobs=$(nproc)
if [[ ! -f "$build_dir/build.ninja" ]]; then
  cmake -S . -B "$build_dir" -G Ninja "${cmake_args[@]}"
fi
ninja -C "$build_dir" -j "$jobs" "$@"
