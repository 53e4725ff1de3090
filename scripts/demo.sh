#!/usr/bin/env bash
# The main job: installs what is missing, builds, and brings up the whole
# stack on loopback (scripts/stack.sh): the devnet (5 nodes, FROST 3-of-5,
# a fault proxy on every peer link), the sonde daemon running the four
# built-in journeys with an SLO per journey, a real Prometheus scraping it
# with the rules `sonde rules` generated, a real Alertmanager routing pages
# and tickets, and a webhook receiver that prints every alert it gets.
# A minute in, it runs two drills in the daemon (kill a follower, then cut
# a minority off) with live progress and their verdicts.
# Ctrl-C stops everything, heals any fault, and leaves nothing running.
#   SONDE_DEMO_DIR   where everything keeps its data and logs (default .demo)
#   SONDE_PORT, PROMETHEUS_PORT, ALERTMANAGER_PORT, RECEIVER_PORT,
#   DEVNET_BASE_PORT: see scripts/stack.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build.sh sonde sonde-devnet

exec scripts/stack.sh --dir "${SONDE_DEMO_DIR:-$PWD/.demo}" \
  --drill kill_follower --drill partition_minority --drill-after 60
