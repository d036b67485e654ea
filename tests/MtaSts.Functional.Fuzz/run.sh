#!/usr/bin/env bash
# Coverage-guided fuzzing of the core with SharpFuzz + AFL++ (see README "Robustness").
#
#   tests/MtaSts.Functional.Fuzz/run.sh TARGET SECONDS     fuzz one target for SECONDS (AFL -V)
#   tests/MtaSts.Functional.Fuzz/run.sh TARGET once FILE   replay one input, e.g. a crash file
#   tests/MtaSts.Functional.Fuzz/run.sh list               the targets
#
# Installs afl++ from Debian if it is missing, restores the local tools (dotnet-tools.json),
# publishes and instruments the harness into fuzz-out/TARGET/bin, seeds fuzz-out/TARGET/seeds from the
# conformance vectors, and leaves AFL's findings in fuzz-out/TARGET/findings. Each target has its own
# folder, so two targets can run side by side (one per core).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
targets="record record-lenient recordset policy policy-lenient match policy-url cert-name"

if [[ $# -lt 1 || "$1" == "list" ]]; then
  echo "targets: $targets"
  exit 0
fi
target="$1"
[[ " $targets " == *" $target "* ]] || { echo "unknown target '$target'; targets: $targets" >&2; exit 2; }
work="$root/fuzz-out/$target"

publish() {            # publish DIR: a fresh copy (re-publishing over an instrumented one would keep it instrumented)
  rm -rf "$1"
  dotnet publish "$here/MtaSts.Functional.Fuzz.csproj" -c Release -o "$1" --nologo -v quiet
}

if [[ "${2:-}" == "once" ]]; then
  # Replay with an uninstrumented build: instrumented code needs AFL's shared memory and crashes without it.
  publish "$work/replay"
  exec dotnet "$work/replay/MtaSts.Functional.Fuzz.dll" "$target" once "$3"
fi

seconds="${2:?usage: run.sh TARGET SECONDS | run.sh TARGET once FILE}"
if ! command -v afl-fuzz >/dev/null; then
  echo "installing afl++ (Debian)" >&2
  apt-get update -qq && apt-get install -y -qq afl++ >/dev/null
fi

cd "$root"
dotnet tool restore >/dev/null
publish "$work/bin"
dotnet sharpfuzz "$work/bin/MtaSts.Functional.dll"
rm -rf "$work/seeds"
dotnet "$work/bin/MtaSts.Functional.Fuzz.dll" "$target" seed "$root/tests/MtaSts.Functional.Tests/Conformance" "$work/seeds"

# -t: a single input taking over 2 s is reported as a hang (bounded time per input).
AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
  afl-fuzz -i "$work/seeds" -o "$work/findings" -t 2000 -m none -V "$seconds" -- \
  dotnet "$work/bin/MtaSts.Functional.Fuzz.dll" "$target" > "$work/afl.log" 2>&1 || true

stats="$work/findings/default/fuzzer_stats"
if [[ ! -f "$stats" ]]; then
  echo "afl-fuzz did not start; see $work/afl.log" >&2
  tail -20 "$work/afl.log" >&2
  exit 1
fi
get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
echo "$target: $(get execs_done) executions in $(get run_time) s ($(get execs_per_sec)/s), corpus $(get corpus_count), crashes $(get saved_crashes), hangs $(get saved_hangs)"
crashes=$(find "$work/findings/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
hangs=$(find "$work/findings/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
if (( crashes + hangs > 0 )); then
  echo "findings in $work/findings/default/{crashes,hangs}; replay one with: $0 $target once FILE" >&2
  exit 1
fi
