#!/usr/bin/env bash
# Fuzzes the parsers with AFL++ and SharpFuzz (docs/fuzzing.md):
#   scripts/fuzz.sh <target|all> <seconds>
# Builds tests/Sozu.Fuzz, copies its output to $FUZZ_OUT/bin and instruments the copies of
# Sozu.Net.dll, Sozu.Messages.dll and Tomlyn.dll there (never the build output other tests
# use), then runs afl-fuzz on each target for <seconds>, seeded from tests/Sozu.Fuzz/corpus/<target>.
# Exits 1 listing the crashing or hanging inputs if any is found, 2 on a usage or setup error.
# Works without a terminal and as root. Environment:
#   FUZZ_OUT=artifacts/fuzz   where the instrumented copy and afl-fuzz's findings go
#   FUZZ_NO_BUILD=1           use the existing Release build of tests/Sozu.Fuzz (CI has just built it)
#   FUZZ_NICE=10              niceness of afl-fuzz: the machine is shared
#   FUZZ_TIMEOUT_MS=10000     one input taking longer is a hang (a parser call takes microseconds)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [ $# -ne 2 ] || ! [[ "$2" =~ ^[0-9]+$ ]] || [ "$2" -lt 1 ]; then
  echo "usage: scripts/fuzz.sh <target|all> <seconds>" >&2
  exit 2
fi
what=$1
seconds=$2
out=${FUZZ_OUT:-$root/artifacts/fuzz}
nice=${FUZZ_NICE:-10}
timeout_ms=${FUZZ_TIMEOUT_MS:-10000}
build=$root/tests/Sozu.Fuzz/bin/Release/net10.0

if ! command -v afl-fuzz >/dev/null 2>&1; then
  echo "fuzz: afl-fuzz not found; scripts/setup.sh installs the Debian package afl++" >&2
  exit 2
fi

if [ "${FUZZ_NO_BUILD:-0}" != 1 ] || [ ! -f "$build/Sozu.Fuzz.dll" ]; then
  dotnet build tests/Sozu.Fuzz/Sozu.Fuzz.csproj -c Release --nologo -v q >&2
fi
dotnet tool restore >/dev/null

targets=$(dotnet "$build/Sozu.Fuzz.dll" list | cut -f1)
if [ "$what" != all ]; then
  if ! grep -qx -- "$what" <<<"$targets"; then
    echo "fuzz: unknown target \"$what\"; known: $(echo $targets)" >&2
    exit 2
  fi
  targets=$what
fi

# A fresh copy each run: sharpfuzz instruments in place and refuses an instrumented assembly.
rm -rf "$out/bin"
mkdir -p "$out"
cp -r "$build" "$out/bin"
for assembly in Sozu.Net Sozu.Messages Tomlyn; do
  dotnet tool run sharpfuzz "$out/bin/$assembly.dll" >/dev/null
done

export AFL_SKIP_BIN_CHECK=1                  # the target is dotnet; SharpFuzz speaks the fork-server protocol
export AFL_SKIP_CPUFREQ=1
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_UI=1
export AFL_NO_AFFINITY=1                     # other engineers' processes share the cores
export AFL_FAST_CAL=1
export DOTNET_TieredPGO=0                    # fewer re-JITs: steadier timing under afl-fuzz

found=0
for target in $targets; do
  findings=$out/$target
  rm -rf "$findings"
  dict=()
  [ -f "tests/Sozu.Fuzz/dictionaries/$target.dict" ] && dict=(-x "tests/Sozu.Fuzz/dictionaries/$target.dict")
  # -V bounds the run in seconds.
  run_afl() {
    rm -rf "$findings"
    nice -n "$nice" afl-fuzz -V "$seconds" -t "$timeout_ms" -m none -i "tests/Sozu.Fuzz/corpus/$target" \
      -o "$findings" "${dict[@]}" -- dotnet "$out/bin/Sozu.Fuzz.dll" "$target" </dev/null >"$findings.log" 2>&1
  }
  # Seen once in a clean-clone CI run at load ~6 (hpack-block, the first seed's dry run): afl-fuzz
  # read an empty coverage map and aborted with "No instrumentation detected" although every
  # target runs in the same instrumented build. That is the harness failing to start, not a
  # finding (the seeds are also replayed by ReplayTests): it is said, and tried once more.
  run_afl || {
    if grep -q "No instrumentation detected" "$findings.log"; then
      echo "fuzz: afl-fuzz saw no instrumentation in $target's dry run; trying once more" >&2
      run_afl
    else
      false
    fi
  } || {
    echo "fuzz: afl-fuzz failed on $target; the end of $findings.log:" >&2
    tail -n 30 "$findings.log" >&2
    # SharpFuzz runs the target inside the fork-server process: an input that hangs past the
    # timeout (or kills the process) ends the whole run, and is the one afl-fuzz was running.
    if [ -f "$findings/default/.cur_input" ]; then
      cp "$findings/default/.cur_input" "$findings.last-input"
      echo "fuzz: the input being run when it stopped: $findings.last-input" >&2
    fi
    exit 2
  }
  stats=$findings/default/fuzzer_stats
  stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  crashes=$(find "$findings/default/crashes" "$findings/default/hangs" -type f -name 'id:*' 2>/dev/null | sort)
  echo "$target: $(stat run_time) s, $(stat execs_done) execs ($(stat execs_per_sec)/s), corpus $(stat corpus_count), edges $(stat edges_found) (map $(stat bitmap_cvg)), crashes $(stat saved_crashes), hangs $(stat saved_hangs)"
  if [ -n "$crashes" ]; then
    found=1
    echo "$target: inputs that crash or hang (replayed without instrumentation):"
    for input in $crashes; do
      echo "  $input"
      timeout 60 dotnet "$build/Sozu.Fuzz.dll" replay "$target" "$input" | grep -m1 -o '[A-Za-z.]*Exception: .*' | sed 's/^/    /' || true
    done
  fi
done
exit $found
