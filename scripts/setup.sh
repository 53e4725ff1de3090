#!/usr/bin/env bash
# Installs every Debian package sonde needs to build, test and run.
# Idempotent: checks what is present and installs only what is missing;
# runs `apt-get update` once, only when something must be installed.
# Works as root with no terminal (CI); uses sudo when run as another user.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config
  # libraries (see DESIGN.md, "Dependencies")
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libcurl4-openssl-dev libssl-dev libsodium-dev
  prometheus-cpp-dev libtomlplusplus-dev libsqlite3-dev sqlite3
  libcli11-dev libspdlog-dev
  # EVM signing (signer/): secp256k1 ECDSA with public-key recovery and
  # RFC 6979 nonces (secp256k1_recovery.h), and Crypto++ for Keccak-256
  # (the original Keccak that Ethereum uses, not SHA3-256)
  libsecp256k1-dev libcrypto++-dev
  # partitions for nodes on their own addresses (nftables, in-process)
  libnftables-dev nftables iproute2
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # the hostile-target tests (a gzip bomb) and the soak (LeakSanitizer, preloaded)
  zlib1g-dev liblsan0
  # real peers in the demo and tests: Prometheus (promtool checks and
  # unit-tests the generated SLO rules) and Alertmanager
  prometheus prometheus-alertmanager
  # a real Raft cluster for the drill over the fault proxy's unix sockets
  etcd-server
  # used by the scripts and tests themselves
  curl python3 procps
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#PACKAGES[@]} packages present"
else
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
  echo "setup: packages done"
fi

# Foundry's anvil, a real EVM node, for the EVM journeys' tests and the
# README's EVM walk-through: a prebuilt binary inside an npm package,
# pinned, installed into .tools/ (not a system path). Node.js and npm come
# from Debian when the machine has none.
ANVIL_PACKAGE="@foundry-rs/anvil-linux-amd64"
ANVIL_VERSION="1.7.1"
tools="$(pwd)/.tools"
anvil="$tools/node_modules/$ANVIL_PACKAGE/bin/anvil"
if [[ -x "$anvil" ]] && "$anvil" --version 2>/dev/null | grep -q "Version: $ANVIL_VERSION"; then
  echo "setup: anvil $ANVIL_VERSION present"
else
  if ! command -v npm >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends nodejs npm </dev/null
  fi
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error \
    "$ANVIL_PACKAGE@$ANVIL_VERSION" </dev/null
  "$anvil" --version | head -1
fi
mkdir -p "$tools/bin"
ln -sf "$anvil" "$tools/bin/anvil"
echo "setup: done"
