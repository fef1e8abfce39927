#!/usr/bin/env bash
# bench-slow-clients.sh [SECONDS]: slowhttptest attacks against sozu, HAProxy and nginx in one
# run, all on 127.0.0.1 (docs/benchmarks.md, "Hostile clients"). For each mode and each proxy:
# a fresh proxy, the attack for SECONDS (default 40), and beside it scripts/slow-clients/probe.py
# (GET / to another backend every 0.25 s, 200 within 1 s). Prints one Markdown row per run:
# seconds of unavailability seen by the probe, peak connections established on the proxy's port,
# and for sozu the buffer pool's peak (buffers_peak) and what its defences counted.
# SOZU_EXTRA: more global lines for sozu, e.g. SOZU_EXTRA="max_incomplete_heads_per_ip = 0".
# Needs: slowhttptest haproxy nginx python3 (Debian 12), a Release build of the solution.
# Each program runs in its own process group (setsid) and is stopped by that group's id.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-40}
RUN_DIR=${RUN_DIR:-/tmp/bench-slow-clients}
SOZU_DLL=${SOZU_DLL:-$PWD/Sozu.Supervisor/bin/Release/net10.0/sozu.dll}
APP_PORT=19201 PROBE_PORT=19202 SOZU_PORT=19284 HAPROXY_PORT=19282 NGINX_PORT=19281
MODES=${MODES:-"slowloris-1000 slowloris-5000 slow-body-500 range-500 slow-read-500"}
PROXIES=${PROXIES:-"sozu haproxy nginx"}

for tool in slowhttptest haproxy nginx python3 ss; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y slowhttptest haproxy nginx-light python3 iproute2)" >&2; exit 1; }
done
[[ -f $SOZU_DLL ]] || { echo "build first: dotnet build SozuActors.sln -c Release" >&2; exit 1; }
# 5,000 attackers need 5,000 descriptors in slowhttptest and as many in each proxy.
ulimit -n "$(ulimit -Hn)"
rm -rf "$RUN_DIR"; mkdir -p "$RUN_DIR"/{logs,tmp}
PIDS=()
start() { # name cmd... : in its own session, so the group id is its pid
  setsid "${@:2}" >"$RUN_DIR/logs/$1.log" 2>&1 &
  PIDS+=($!); echo $! >"$RUN_DIR/$1.pid"
}
stop() { # name
  local pid; pid=$(cat "$RUN_DIR/$1.pid" 2>/dev/null) || return 0
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$RUN_DIR/$1.pid"
}
cleanup() { for name in sozu haproxy nginx app probe; do stop "$name"; done; }
trap cleanup EXIT
wait_port() { for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done; echo "port $1 never opened" >&2; return 1; }

start app python3 scripts/slow-clients/origin.py "$APP_PORT"
start probe python3 scripts/slow-clients/origin.py "$PROBE_PORT"
wait_port "$APP_PORT"; wait_port "$PROBE_PORT"

# sozu: every default but worker_count (one worker, like the peers' one thread).
cat >"$RUN_DIR/sozu.toml" <<CONF
command_socket = "$RUN_DIR/sozu.sock"
worker_count = 1
log_level = "warn"
${SOZU_EXTRA:-}

[[listeners]]
protocol = "http"
address = "127.0.0.1:$SOZU_PORT"

[clusters.app]
protocol = "http"
frontends = [{ address = "127.0.0.1:$SOZU_PORT", hostname = "127.0.0.1" }]
backends = [{ address = "127.0.0.1:$APP_PORT", backend_id = "app" }]

[clusters.probe]
protocol = "http"
frontends = [{ address = "127.0.0.1:$SOZU_PORT", hostname = "probe.test" }]
backends = [{ address = "127.0.0.1:$PROBE_PORT", backend_id = "probe" }]
CONF
# HAProxy and nginx: /work/shared/bench's configurations (one thread or worker, its timeouts),
# with a second backend for the probe chosen by Host.
cat >"$RUN_DIR/haproxy.cfg" <<CONF
global
    nbthread 1
    maxconn 10200
    no strict-limits
defaults
    mode http
    option http-keep-alive
    http-reuse always
    timeout connect 5s
    timeout client 300s
    timeout server 300s
    timeout http-request 30s
    timeout http-keep-alive 300s
frontend fe
    bind 127.0.0.1:$HAPROXY_PORT
    use_backend probe if { req.hdr(host) -i probe.test }
    default_backend app
backend app
    server origin 127.0.0.1:$APP_PORT
backend probe
    server origin 127.0.0.1:$PROBE_PORT
CONF
cat >"$RUN_DIR/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $RUN_DIR/nginx.pid.file;
error_log $RUN_DIR/logs/nginx.err warn;
worker_rlimit_nofile 20000;
events { worker_connections 16384; }
http {
    access_log off;
    tcp_nodelay on;
    keepalive_timeout 300s;
    proxy_buffer_size 16k;
    proxy_buffers 8 16k;
    proxy_max_temp_file_size 0;
    client_body_temp_path $RUN_DIR/tmp/body;
    proxy_temp_path $RUN_DIR/tmp/proxy;
    fastcgi_temp_path $RUN_DIR/tmp/fcgi;
    uwsgi_temp_path $RUN_DIR/tmp/uwsgi;
    scgi_temp_path $RUN_DIR/tmp/scgi;
    upstream app { server 127.0.0.1:$APP_PORT; keepalive 256; }
    upstream probe { server 127.0.0.1:$PROBE_PORT; keepalive 16; }
    server {
        listen 127.0.0.1:$NGINX_PORT default_server;
        location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; }
    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        server_name probe.test;
        location / { proxy_pass http://probe; proxy_http_version 1.1; proxy_set_header Connection ""; }
    }
}
CONF

attack() { # mode port -> slowhttptest arguments
  local url="http://127.0.0.1:$2"
  case $1 in
    slowloris-1000) echo "-H -c 1000 -r 200 -i 10 -x 24 -p 3 -u $url/" ;;
    slowloris-5000) echo "-H -c 5000 -r 500 -i 10 -x 24 -p 3 -u $url/" ;;
    slow-body-500)  echo "-B -c 500 -r 200 -i 10 -x 24 -s 8192 -p 3 -u $url/" ;;
    range-500)      echo "-R -c 500 -r 200 -a 5 -b 2000 -p 3 -u $url/" ;;
    slow-read-500)  echo "-X -c 500 -r 200 -w 10 -y 20 -n 5 -z 32 -k 3 -p 3 -u $url/big" ;;
  esac
}

echo "| mode | proxy | probes failed | unavailable (s) | peak connections | sozu: buffers peak / in use at end, heads refused per IP, evicted | worker restarted |"
echo "|---|---|---|---|---|---|---|"
for mode in $MODES; do
  for proxy in $PROXIES; do
    case $proxy in
      sozu)    port=$SOZU_PORT;    start sozu dotnet "$SOZU_DLL" start -c "$RUN_DIR/sozu.toml" ;;
      haproxy) port=$HAPROXY_PORT; start haproxy haproxy -db -f "$RUN_DIR/haproxy.cfg" ;;
      nginx)   port=$NGINX_PORT;   start nginx nginx -c "$RUN_DIR/nginx.conf" -p "$RUN_DIR" ;;
    esac
    wait_port "$port"
    sozu_pids=""
    if [[ $proxy == sozu ]]; then
      # Serving means the worker is up, not only the supervisor's shared socket.
      for _ in $(seq 1 100); do curl -s -m 1 -H 'Host: probe.test' "http://127.0.0.1:$port/" | grep -q ok && break; sleep 0.3; done
      sozu_pids=$(dotnet "$SOZU_DLL" -c "$RUN_DIR/sozu.toml" -j workers list 2>/dev/null | python3 -c 'import json,sys; print(sorted((w["id"],w["pid"]) for w in json.load(sys.stdin)["content"]["workers"] if w["state"]=="running"))' 2>/dev/null || echo "?")
    fi
    # shellcheck disable=SC2046
    setsid slowhttptest $(attack "$mode" "$port") -l "$SECONDS_PER_RUN" >"$RUN_DIR/logs/slowhttptest-$mode-$proxy.log" 2>&1 &
    attacker=$!
    result=$(python3 scripts/slow-clients/probe.py "$port" "$SECONDS_PER_RUN")
    for _ in $(seq 1 100); do kill -0 "$attacker" 2>/dev/null || break; sleep 0.2; done
    kill -TERM -- "-$attacker" 2>/dev/null || true
    wait "$attacker" 2>/dev/null || true
    extra="" restarted=""
    if [[ $proxy == sozu ]]; then
      extra=$(dotnet "$SOZU_DLL" -c "$RUN_DIR/sozu.toml" -j metrics get 2>/dev/null | python3 -c '
import json,sys
p=json.load(sys.stdin)["content"]["proxy"]
print("%d / %d, %d, %d" % (p["buffers_peak"], p["buffers_in_use"], p["heads_refused_per_ip"], p["heads_evicted"]))' 2>/dev/null || echo "?")
      now=$(dotnet "$SOZU_DLL" -c "$RUN_DIR/sozu.toml" -j workers list 2>/dev/null | python3 -c 'import json,sys; print(sorted((w["id"],w["pid"]) for w in json.load(sys.stdin)["content"]["workers"] if w["state"]=="running"))' 2>/dev/null || echo "?")
      if [[ $now == "?" || $sozu_pids == "?" ]]; then restarted="unknown"; elif [[ $now == "$sozu_pids" ]]; then restarted="no $now"; else restarted="yes: $sozu_pids -> $now"; fi
    fi
    python3 -c '
import json,sys
r=json.loads(sys.argv[1])
print("| %s | %s | %d/%d | %.2f | %d | %s | %s |" % (sys.argv[2], sys.argv[3], r["failed"], r["probes"], r["unavailable_s"], r["peak_connections"], sys.argv[4], sys.argv[5]))
if r["first_failures"]: print("<!-- first failures:", r["first_failures"], "-->", file=sys.stderr)' "$result" "$mode" "$proxy" "$extra" "$restarted"
    stop "$proxy"
    sleep 2
  done
done
