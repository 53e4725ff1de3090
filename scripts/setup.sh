#!/usr/bin/env bash
# Installs every Debian package sonde needs to build, test and run.
# Idempotent: checks what is present and installs only what is missing;
# runs `apt-get update` once, only when something must be installed.
# Works as root with no terminal (CI); uses sudo when run as another user.
set -euo pipefail

PACKAGES=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config
  # libraries (see DESIGN.md, "Dependencies")
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libcurl4-openssl-dev libssl-dev libsodium-dev
  prometheus-cpp-dev libtomlplusplus-dev libsqlite3-dev sqlite3
  libcli11-dev libspdlog-dev
  # partitions for nodes on their own addresses (nftables, in-process)
  libnftables-dev nftables iproute2
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # real peers in the demo and tests: Prometheus (promtool checks and
  # unit-tests the generated SLO rules) and Alertmanager
  prometheus prometheus-alertmanager
  # used by the scripts and tests themselves
  curl python3 procps
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
echo "setup: done"
