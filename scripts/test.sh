#!/usr/bin/env bash
# The test command of the README and of CI: restore, build warning-free, run every test
# project, and end with one line "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
dotnet build SozuActors.sln -c Release --nologo -v q --no-restore || { echo "0 passed, 1 failed"; exit 1; }
results=$(mktemp -d)
status=0
projects=$(ls tests/*/*.Tests.csproj)
for proj in $projects; do
  name=$(basename "$proj" .csproj)
  echo "== $name" >&2
  # A hang-dump timeout bounds each project: a stuck test fails the run instead of blocking CI.
  timeout 1200 dotnet test "$proj" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    --blame-hang-timeout 5m -- RunConfiguration.DisableAppDomain=true
  rc=$?
  [ $rc -ne 0 ] && status=1
  if [ ! -f "$results/$name.trx" ]; then
    echo "$name: no results (exit $rc)" >&2
    echo "crash $name" >> "$results/crashed"
  fi
done
python3 - "$results" <<'PY'
import sys, glob, os, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for f in glob.glob(os.path.join(sys.argv[1], "*.trx")):
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    if c is None:
        failed += 1
        continue
    passed += int(c.get("passed", 0))
    failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    skipped += int(c.get("notExecuted", 0))
crashed = os.path.join(sys.argv[1], "crashed")
if os.path.exists(crashed):
    failed += len(open(crashed).read().split("\n")) - 1
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed else 0)
PY
py=$?
[ $py -ne 0 ] && status=1
exit $status
