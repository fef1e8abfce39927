#!/usr/bin/env bash
# The README's run command: builds the proxy, starts two sample backends (HTTP on
# 127.0.0.1:9001 serving examples/www, a TCP echo on 127.0.0.1:9002) and runs the proxy on
# examples/config.toml in the foreground. Try, from another terminal:
#   curl -i http://127.0.0.1:8080/          (HTTP through the proxy)
#   echo hello | socat - TCP:127.0.0.1:8081  (TCP through the proxy)
# Ctrl-C stops the proxy and the sample backends.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
dotnet build Sozu.Supervisor -c Release --nologo -v q --no-restore
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
python3 -m http.server 9001 --bind 127.0.0.1 --directory examples/www >/dev/null 2>&1 &
pids+=($!)
if command -v socat >/dev/null; then
  socat TCP-LISTEN:9002,bind=127.0.0.1,reuseaddr,fork EXEC:cat >/dev/null 2>&1 &
  pids+=($!)
fi
dotnet Sozu.Supervisor/bin/Release/net10.0/sozu.dll config check -c examples/config.toml >/dev/null
# In the background and waited for, so that a signal to this script reaches the trap at once.
dotnet Sozu.Supervisor/bin/Release/net10.0/sozu.dll start -c examples/config.toml &
pids+=($!)
wait "${pids[-1]}"
