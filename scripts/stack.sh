#!/usr/bin/env bash
# The whole monitoring stack on loopback, as an SRE would run it against a
# network: the devnet (5 nodes, a fault proxy on every peer link), the sonde
# daemon probing it, a real Prometheus scraping sonde and evaluating the
# rules `sonde rules` wrote, a real Alertmanager routing by severity, and
# `sonde alert-receiver` as the webhook that shows what Alertmanager sends.
# Needs the build (scripts/build.sh) and Debian's prometheus and
# prometheus-alertmanager (scripts/setup.sh); does not install or build.
#
#   scripts/stack.sh [--dir DIR] [--slo-window DUR] [--scrape-interval DUR]
#                    [--config-append FILE] [--drill NAME]... [--drill-after SECONDS]
#
#   --dir              where everything keeps its data and logs (default .demo)
#   --slo-window       every SLO's period (default 30d; tests use e.g. 6h)
#   --scrape-interval  Prometheus' scrape and rule evaluation interval (default 5s)
#   --config-append    TOML appended to the devnet's sonde config (extra drills)
#   --drill NAME       run this drill in the daemon once the stack is up
#                      (repeatable; in order), with live progress and verdict
#   --drill-after      seconds to wait before the first drill (default 60)
#
# Ports (environment): SONDE_PORT 9464, PROMETHEUS_PORT 9090,
# ALERTMANAGER_PORT 9093, RECEIVER_PORT 9097, DEVNET_BASE_PORT 26600 (the
# devnet uses base+1..+5, +50 and +101..+125). A taken service port is
# reported and the next free one used; a taken devnet port stops the stack.
#
# Once everything answers, DIR/stack.env holds the URLs (KEY=VALUE lines,
# READY=1 last). Runs until SIGINT or SIGTERM, or until a part of it dies;
# then stops every process it started, heals any fault a drill left, and
# stops the devnet.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${SONDE_BUILD_DIR:-$root/build}"
sonde="$build/service/sonde"
devnet="$build/devnet/sonde-devnet"
prometheus=/usr/bin/prometheus
alertmanager=/usr/bin/prometheus-alertmanager
promtool=/usr/bin/promtool

dir="$root/.demo"
slo_window=""
scrape="5s"
config_append=""
drills=()
drill_after=60
while (($#)); do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --slo-window) slo_window="$2"; shift 2 ;;
    --scrape-interval) scrape="$2"; shift 2 ;;
    --config-append) config_append="$2"; shift 2 ;;
    --drill) drills+=("$2"); shift 2 ;;
    --drill-after) drill_after="$2"; shift 2 ;;
    *) echo "stack.sh: unknown argument '$1' (see the comment at the top of $0)" >&2; exit 2 ;;
  esac
done
for bin in "$sonde" "$devnet" "$prometheus" "$alertmanager" "$promtool" /usr/bin/curl; do
  if [[ ! -x "$bin" ]]; then
    echo "stack.sh: $bin is missing (scripts/setup.sh installs Prometheus, Alertmanager and curl; scripts/build.sh builds sonde)" >&2
    exit 2
  fi
done
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
# One stack per directory: a second would stop the first one's devnet.
exec 9>"$dir/.stack.lock"
if ! flock -n 9; then
  echo "stack.sh: a stack is already running in $dir (stop it with Ctrl-C, or use another --dir)" >&2
  exit 2
fi
logs="$dir/logs"
mkdir -p "$logs" "$dir/prometheus" "$dir/alertmanager"
rm -f "$dir/stack.env" "$dir/alerts.jsonl"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A free port for `what`, starting at `want` and skipping those already
# chosen, into $picked; says so when it moves. (Free now: something may
# still take it before the service binds; then that service fails to start
# and the stack stops, naming its log.)
chosen=()
pick_port() {
  local what="$1" want="$2" env_name="$3" port="$2"
  while listening "$port" || [[ " ${chosen[*]} " == *" $port "* ]]; do
    port=$((port + 1))
    if ((port > want + 100)); then
      echo "stack.sh: no free port for $what in $want..$((want + 100))" >&2
      exit 2
    fi
  done
  if ((port != want)); then
    echo "note: port $want ($what) is taken; using $port (set $env_name to choose)" >&2
  fi
  chosen+=("$port")
  picked="$port"
}

devnet_base="${DEVNET_BASE_PORT:-26600}"
for offset in 1 2 3 4 5 50 $(seq 101 125); do
  if listening $((devnet_base + offset)); then
    echo "stack.sh: port $((devnet_base + offset)) (devnet) is taken: stop what holds it, or set DEVNET_BASE_PORT" >&2
    exit 2
  fi
done
pick_port sonde "${SONDE_PORT:-9464}" SONDE_PORT; sonde_port="$picked"
pick_port Prometheus "${PROMETHEUS_PORT:-9090}" PROMETHEUS_PORT; prom_port="$picked"
pick_port Alertmanager "${ALERTMANAGER_PORT:-9093}" ALERTMANAGER_PORT; am_port="$picked"
pick_port alert-receiver "${RECEIVER_PORT:-9097}" RECEIVER_PORT; receiver_port="$picked"

devnet_dir="$dir/devnet"
config="$devnet_dir/sonde.toml"
pids=()
names=()
waiting_on=""

# Stops `pid` with SIGTERM, then SIGKILL after `grace` seconds.
stop_process() {
  local pid="$1" grace="$2" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}

cleanup() {
  local rc=$?
  # Nothing may interrupt the cleanup, and no failure may cut it short: a
  # closed terminal, or a `| tee` that Ctrl-C killed, makes even echo fail
  # (with SIGPIPE, unless ignored).
  trap '' INT TERM HUP PIPE
  set +e
  echo >&2
  echo "stopping the stack in $dir" >&2
  local i
  # A drill client or a sleep the script was waiting on (background jobs
  # of a script ignore SIGINT, so Ctrl-C did not reach them).
  if [[ -n "$waiting_on" ]]; then kill -TERM "$waiting_on" 2>/dev/null; fi
  # sonde first: it reverts the faults of a drill it is running.
  for i in "${!pids[@]}"; do
    if [[ "${names[$i]}" == sonde ]]; then stop_process "${pids[$i]}" 30; fi
  done
  if [[ -f "$config" ]]; then "$sonde" heal -c "$config" >>"$logs/heal.log" 2>&1; fi
  for i in "${!pids[@]}"; do stop_process "${pids[$i]}" 15; done
  if [[ -f "$devnet_dir/devnet.toml" ]]; then "$devnet" down --dir "$devnet_dir" >/dev/null 2>&1; fi
  rm -f "$dir/stack.env"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

start() {  # start NAME LOGFILE COMMAND...: in the background, remembered for cleanup
  local name="$1" log="$2"
  shift 2
  "$@" >>"$log" 2>&1 &
  pids+=("$!")
  names+=("$name")
}

wait_http() {  # wait_http NAME URL SECONDS
  local name="$1" url="$2" deadline=$((SECONDS + $3))
  until curl -sf -o /dev/null "$url"; do
    if ((SECONDS > deadline)); then
      echo "stack.sh: $name did not answer $url within $3 s; its log: $logs/$name.log" >&2
      tail -n 20 "$logs/$name.log" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
}

# A devnet left running by an earlier stack that was killed hard.
if [[ -f "$devnet_dir/devnet.toml" ]]; then "$devnet" down --dir "$devnet_dir" >/dev/null 2>&1 || true; fi
up_args=(up --dir "$devnet_dir" --base-port "$devnet_base" --sonde-listen "127.0.0.1:$sonde_port")
if [[ -n "$slo_window" ]]; then up_args+=(--slo-window "$slo_window"); fi
"$devnet" "${up_args[@]}" >"$logs/devnet-up.log" 2>&1 || { cat "$logs/devnet-up.log" >&2; exit 1; }
if [[ -n "$config_append" ]]; then
  { echo; echo "# Appended by stack.sh from $config_append"; cat "$config_append"; } >>"$config"
fi
"$sonde" check -c "$config" >/dev/null
"$sonde" rules -c "$config" -o "$dir/prometheus/rules.yml" >/dev/null

cat >"$dir/prometheus/prometheus.yml" <<YAML
# Written by scripts/stack.sh.
global:
  scrape_interval: $scrape
  evaluation_interval: $scrape
rule_files:
  - rules.yml
alerting:
  alertmanagers:
    - static_configs:
        - targets: ["127.0.0.1:$am_port"]
scrape_configs:
  - job_name: sonde
    static_configs:
      - targets: ["127.0.0.1:$sonde_port"]
YAML

# Pages and tickets go to their own receivers (here both the local webhook,
# on different paths; in production a pager and a ticket queue).
cat >"$dir/alertmanager/alertmanager.yml" <<YAML
# Written by scripts/stack.sh.
route:
  receiver: ticket
  group_by: [alertname, slo, severity]
  group_wait: 1s
  group_interval: 5s
  repeat_interval: 1h
  routes:
    - matchers: ['severity="page"']
      receiver: page
    - matchers: ['severity="ticket"']
      receiver: ticket
receivers:
  - name: page
    webhook_configs:
      - url: http://127.0.0.1:$receiver_port/page
        send_resolved: true
  - name: ticket
    webhook_configs:
      - url: http://127.0.0.1:$receiver_port/ticket
        send_resolved: true
YAML
"$promtool" check config "$dir/prometheus/prometheus.yml" >/dev/null

# The receiver prints every alert it gets; that output is the point of the
# demo, so it goes to the terminal as well as to its log.
"$sonde" alert-receiver --listen "127.0.0.1:$receiver_port" --log "$dir/alerts.jsonl" \
  > >(tee -a "$logs/alert-receiver.log") 2>>"$logs/alert-receiver.log" &
pids+=("$!")
names+=(alert-receiver)
start alertmanager "$logs/alertmanager.log" "$alertmanager" \
  --config.file="$dir/alertmanager/alertmanager.yml" --storage.path="$dir/alertmanager/data" \
  --web.listen-address="127.0.0.1:$am_port" --cluster.listen-address=
start prometheus "$logs/prometheus.log" "$prometheus" \
  --config.file="$dir/prometheus/prometheus.yml" --storage.tsdb.path="$dir/prometheus/data" \
  --web.listen-address="127.0.0.1:$prom_port" --web.enable-lifecycle
start sonde "$logs/sonde.log" "$sonde" run -c "$config"

wait_http alert-receiver "http://127.0.0.1:$receiver_port/healthz" 20
wait_http alertmanager "http://127.0.0.1:$am_port/-/ready" 30
wait_http prometheus "http://127.0.0.1:$prom_port/-/ready" 30
wait_http sonde "http://127.0.0.1:$sonde_port/healthz" 30

cat >"$dir/stack.env.tmp" <<ENV
SONDE_URL=http://127.0.0.1:$sonde_port
PROMETHEUS_URL=http://127.0.0.1:$prom_port
ALERTMANAGER_URL=http://127.0.0.1:$am_port
RECEIVER_URL=http://127.0.0.1:$receiver_port
DEVNET_DIR=$devnet_dir
CONFIG=$config
ALERTS_LOG=$dir/alerts.jsonl
READY=1
ENV
mv "$dir/stack.env.tmp" "$dir/stack.env"

cat <<MSG

sonde stack is up (all on 127.0.0.1)
  status page     : http://127.0.0.1:$sonde_port/          (JSON: /api/v1/status, /api/v1/runs, /api/v1/drills)
  metrics         : http://127.0.0.1:$sonde_port/metrics
  Prometheus      : http://127.0.0.1:$prom_port/classic/alerts   (rules: $dir/prometheus/rules.yml)
  Alertmanager    : http://127.0.0.1:$am_port/             (pages and tickets go to the receiver below)
  alert receiver  : http://127.0.0.1:$receiver_port/api/v1/notifications   (every alert is also printed here)
  data            : $dir   (logs in $logs)
  result store    : $sonde store verify -c $config
  SLA report      : $sonde report -c $config --from -1h -o report.html
  run a drill     : $sonde drill -c $config kill_follower --daemon --arm
  break a node    : kill \$(cat $devnet_dir/node3/node.pid)    then    $devnet start --dir $devnet_dir --node 3
Ctrl-C stops everything.

MSG

# In the background and waited for, so that a signal is handled at once
# (bash runs a trap only after the foreground command ends).
set +e
if ((${#drills[@]})); then
  echo "first drill in ${drill_after}s: ${drills[*]}"
  sleep "$drill_after" &
  waiting_on=$!
  wait $!
  for d in "${drills[@]}"; do
    echo
    echo "== drill $d (in the daemon; live progress, then the verdict)"
    "$sonde" drill -c "$config" "$d" --daemon --arm &
    waiting_on=$!
    wait $!
  done
  echo
  echo "drills done; the stack keeps running until Ctrl-C"
fi

# Until a signal, or until a part of the stack dies on its own.
wait -n "${pids[@]}"
# On Ctrl-C every process gets SIGINT; one may exit before bash runs its
# trap. A short wait lets a pending trap run before anything is blamed.
sleep 0.5 &
wait $!
for i in "${!pids[@]}"; do
  if ! kill -0 "${pids[$i]}" 2>/dev/null; then
    echo "stack.sh: ${names[$i]} exited; see $logs/${names[$i]}.log" >&2
  fi
done
exit 1
