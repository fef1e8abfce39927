#!/usr/bin/env bash
# Installs what building, running and testing need on a fresh Debian 12 machine with the
# .NET 10 SDK: a few Debian packages (only when missing), then the NuGet restore.
# curl and testssl.sh audit the HTTPS listener in tests/Sozu.EndToEnd.Tests/Tls; haproxy is the PROXY
# protocol interop peer in tests/Sozu.EndToEnd.Tests/ProxyProtocol; afl++ fuzzes the parsers
# (scripts/fuzz.sh, tests/Sozu.Fuzz.Tests), instrumented by the local dotnet tool sharpfuzz;
# slowhttptest drives the slow-client attacks of tests/Sozu.EndToEnd.Tests/Hostile.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for pkg in socat openssl libssl3 curl testssl.sh haproxy afl++ slowhttptest; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ] && [ "$(id -u)" = 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/dev/null 2>&1 \
    || echo "setup: could not install ${need[*]}; tests that need them will fail" >&2
fi
dotnet restore SozuActors.sln --nologo -v q
dotnet tool restore >/dev/null
