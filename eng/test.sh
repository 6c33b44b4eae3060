#!/usr/bin/env bash
# Sets up, builds DvdSim.sln in Release and runs every test assembly, one after the other
# (each starts its own MariaDB and RabbitMQ; on 2 cores running them side by side is not faster).
# The last line is the summary: "N passed, N failed" (", N skipped" when some were).
# Exits non-zero when a test failed, a test run aborted, or the build failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Every process this run starts inherits this variable: whatever is left at the end is ended.
export DVDSIM_TEST_RUN="$$-$(date +%s%N)"
results="$PWD/artifacts/test-results"

sweep() {
  local left=()
  for environ in /proc/[0-9]*/environ; do
    local pid=${environ#/proc/}; pid=${pid%/environ}
    [ "$pid" = "$$" ] && continue
    # -z: environ entries are separated by NUL bytes
    if grep -qxzF "DVDSIM_TEST_RUN=$DVDSIM_TEST_RUN" "$environ" 2>/dev/null; then
      left+=("$pid")
    fi
  done
  if [ ${#left[@]} -gt 0 ]; then
    echo "test.sh: ending ${#left[@]} process(es) left running: $(ps -o comm= -p "$(IFS=,; echo "${left[*]}")" 2>/dev/null | tr '\n' ' ')" >&2
    kill -TERM "${left[@]}" 2>/dev/null; sleep 2; kill -KILL "${left[@]}" 2>/dev/null
  fi
  # CI machines keep nothing between runs: stop the compiler servers this build started.
  if [ "${CI:-}" = "true" ]; then dotnet build-server shutdown >/dev/null 2>&1 || true; fi
}
trap sweep EXIT

# The summary must be the last line: sweep first, then print it.
finish() {
  trap - EXIT
  sweep
  echo "$1"
  exit "$2"
}

fail() {
  echo "test.sh: $1" >&2
  finish "0 passed, 1 failed" 1
}

value() { echo "$1" | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }

bash eng/setup.sh --no-build </dev/null || fail "setup failed"
dotnet build DvdSim.sln -c Release -nologo -nodeReuse:false </dev/null || fail "the build failed"

rm -rf "$results"
mkdir -p "$results"
# The trx logger's default file names stay unique (name[1].trx) when two runs end in the same second.
dotnet test DvdSim.sln -c Release --no-build -nologo -m:1 \
  --logger trx --results-directory "$results" \
  --blame-hang-timeout 15m --blame-hang-dump-type none </dev/null
status=$?

passed=0 failed=0 skipped=0 files=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  passed=$((passed + $(value "$counters" passed)))
  failed=$((failed + $(value "$counters" failed) + $(value "$counters" error) + $(value "$counters" timeout) + $(value "$counters" aborted)))
  # xunit's skipped tests are results with outcome NotExecuted (the counters leave them out)
  skipped=$((skipped + $(grep -o '<UnitTestResult [^>]*outcome="NotExecuted"' "$trx" | wc -l)))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "test.sh: dotnet test exited with $status without a failed test (a test run aborted?)" >&2
  failed=1
fi
echo "test.sh: results in $results ($files test assemblies)" >&2

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
finish "$summary" "$([ "$failed" -eq 0 ] && echo 0 || echo 1)"
