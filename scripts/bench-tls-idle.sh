#!/usr/bin/env bash
# KiB per idle TLS connection for nginx, HAProxy, YARP and SozuActors in one run.
# Usage from the project root after `dotnet build -c Release`:
#   scripts/bench-tls-idle.sh [connections, default 5000] [rounds, default 2]
# Starts the shared harness's peers (../shared/bench/peers.sh) and the candidate
# (../shared/bench/sozu-candidate.sh) with the harness's certificate (CERT_TYPE=ec|rsa),
# then probes each TLS port with scripts/bench-tls-idle-mem.py. The proxies are restarted
# between rounds so every round starts from a fresh process. Stops only what it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench=${BENCH_DIR:-$root/../shared/bench}
[[ -f $bench/env.sh ]] || { echo "set BENCH_DIR to the shared bench directory (../shared/bench from the clone)" >&2; exit 2; }
source "$bench/env.sh"
n=${1:-5000}; rounds=${2:-2}
ulimit -n "$NOFILE" 2>/dev/null || ulimit -n "$(ulimit -Hn)"

cand_pid=""
stop_candidate() {
  if [[ -n $cand_pid ]] && kill -0 "$cand_pid" 2>/dev/null; then
    kill -TERM -- "-$cand_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$cand_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$cand_pid" 2>/dev/null || true
  fi
  cand_pid=""
}
trap 'stop_candidate; "$bench/peers.sh" stop nginx haproxy yarp backend >/dev/null 2>&1 || true' EXIT

start_candidate() {
  local cert=$RUN_DIR/cert
  # exec: the background subshell becomes setsid, which then leads its own process group.
  ( cd "$root" && exec env BENCH_PORT="$CAND_PORT" BENCH_TLS_PORT="$CAND_TLS_PORT" BENCH_BACKEND_PORT="$BACKEND_PORT" \
      BENCH_CERT="$cert/cert.pem" BENCH_KEY="$cert/key.pem" \
      setsid taskset -c "$PROXY_CPU" "$bench/sozu-candidate.sh" >"$RUN_DIR/logs/sozu-tls-idle.log" 2>&1 </dev/null ) &
  cand_pid=$!
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$CAND_TLS_PORT") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "candidate did not open $CAND_TLS_PORT; see $RUN_DIR/logs/sozu-tls-idle.log" >&2; return 1
}

pgid_file() { echo "$RUN_DIR/pids/$1.pid"; }
for round in $(seq 1 "$rounds"); do
  "$bench/peers.sh" restart backend nginx haproxy yarp >/dev/null
  start_candidate
  sleep 2
  for target in nginx:$NGINX_TLS_PORT haproxy:$HAPROXY_TLS_PORT yarp:$YARP_TLS_PORT sozu:$CAND_TLS_PORT; do
    name=${target%%:*}; port=${target##*:}
    if [[ $name == sozu ]]; then pgid=$cand_pid; else pgid=$(<"$(pgid_file "$name")"); fi
    out=$(taskset -c "$LOAD_CPU" python3 "$root/scripts/bench-tls-idle-mem.py" --port "$port" --pgid "$pgid" -n "$n")
    echo "{\"round\": $round, \"proxy\": \"$name\", \"cert\": \"$CERT_TYPE\", \"result\": $out}"
  done
  stop_candidate
done
