#!/usr/bin/env bash
# The README's run command: builds the proxy and runs it on examples/config.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
dotnet build Sozu.Supervisor -c Release --nologo -v q --no-restore
exec dotnet Sozu.Supervisor/bin/Release/net10.0/sozu.dll config check -c examples/config.toml
