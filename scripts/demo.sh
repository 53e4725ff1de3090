#!/usr/bin/env bash
# The main job: installs what is missing, builds, starts the devnet (the
# reference network: 5 nodes on loopback, FROST 3-of-5, a block every
# 500 ms) and runs the sonde daemon against it with the config the devnet
# writes: the four built-in journeys plus a chain-head check.
# Ctrl-C stops sonde, then the devnet; nothing is left running.
#   SONDE_DEMO_DIR   where the devnet keeps its keys and chains (default .demo/devnet)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build.sh sonde sonde-devnet

devnet=build/devnet/sonde-devnet
sonde=build/service/sonde
dir="${SONDE_DEMO_DIR:-$PWD/.demo/devnet}"
mkdir -p "$(dirname "$dir")"

# A devnet left running by an earlier demo that was killed hard: stop it
# (down only signals the processes its own pidfiles name).
if [[ -f "$dir/devnet.toml" ]]; then "$devnet" down --dir "$dir" >/dev/null 2>&1 || true; fi

cleanup() {
  echo
  echo "stopping the devnet in $dir"
  "$devnet" down --dir "$dir" || true
}
trap cleanup EXIT

"$devnet" up --dir "$dir"

cat <<MSG

sonde demo
  status page   : http://127.0.0.1:9464/        (JSON: /api/v1/status, /api/v1/runs)
  metrics       : curl -s http://127.0.0.1:9464/metrics
  health        : curl -s http://127.0.0.1:9464/healthz   (and /readyz)
  reload config : kill -HUP <sonde pid>   or   curl -X POST http://127.0.0.1:9464/-/reload
  devnet status : $devnet status --dir $dir
  break a node  : kill \$(cat $dir/node3/node.pid)    then    $devnet start --dir $dir --node 3
  config        : $dir/sonde.toml
  result store  : $dir/data     (check it: $sonde store verify -c $dir/sonde.toml)
  SLA report    : $sonde report -c $dir/sonde.toml --from -1h -o report.html
Ctrl-C stops everything.

MSG

"$sonde" run -c "$dir/sonde.toml"
