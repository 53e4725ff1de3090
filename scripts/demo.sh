#!/usr/bin/env bash
# Installs what is missing, builds, starts the local demo HTTP server on
# 127.0.0.1:18080 (a stand-in for a network until the devnet exists) and runs
# the sonde daemon against it with config/examples/demo.toml.
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build.sh

demo_port=18080
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

build/tests/sonde-demo-server --port "$demo_port" &
server_pid=$!

cat <<MSG

sonde demo
  probed server : http://127.0.0.1:${demo_port}  (pid ${server_pid}; kill it to watch runs fail
                  with reason "connect", restart it with
                  build/tests/sonde-demo-server --port ${demo_port} &)
  metrics       : curl -s http://127.0.0.1:9464/metrics
  health        : curl -s http://127.0.0.1:9464/healthz  and  /readyz
  config        : config/examples/demo.toml
Ctrl-C stops everything.

MSG

build/service/sonde run -c config/examples/demo.toml
