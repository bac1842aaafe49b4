#!/bin/sh
# `npm run test:stress`: the whole test suite several times in a row while stress-ng keeps the
# CPUs busy, to catch tests that only pass on an idle machine (a race, a timeout too tight).
# Slow on purpose (about 30 minutes with the defaults). Exits non-zero if any run fails; stress-ng
# is stopped at the end whatever happens.
#
#   STRESS_RUNS=3          how many runs
#   STRESS_CPUS=2          stress-ng CPU workers (one per core of a 2-core machine)
#   STRESS_COMMAND='npm test'   what one run is (e.g. 'npx vitest run server/cli-args.test.ts')
set -u

runs=${STRESS_RUNS:-3}
cpus=${STRESS_CPUS:-2}
command=${STRESS_COMMAND:-npm test}

if ! command -v stress-ng >/dev/null 2>&1; then
  echo "test:stress: stress-ng is not installed. Install it first:" >&2
  echo "  Debian/Ubuntu: sudo apt-get install stress-ng" >&2
  echo "  Fedora: sudo dnf install stress-ng    macOS: brew install stress-ng" >&2
  exit 127
fi

stress-ng --cpu "$cpus" --quiet &
stress_pid=$!
stop_stress() {
  kill "$stress_pid" 2>/dev/null
  wait "$stress_pid" 2>/dev/null
}
# On a normal end and on Ctrl-C alike: no stress-ng left behind.
trap stop_stress EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "test:stress: $runs run(s) of '$command' with stress-ng --cpu $cpus (pid $stress_pid)"
failed=0
run=1
while [ "$run" -le "$runs" ]; do
  echo "test:stress: run $run of $runs"
  started=$(date +%s)
  if sh -c "$command"; then
    echo "test:stress: run $run passed in $(($(date +%s) - started)) s"
  else
    echo "test:stress: run $run FAILED (exit $?) after $(($(date +%s) - started)) s" >&2
    failed=$((failed + 1))
  fi
  run=$((run + 1))
done

if [ "$failed" -gt 0 ]; then
  echo "test:stress: $failed of $runs run(s) failed" >&2
  exit 1
fi
echo "test:stress: all $runs run(s) passed"
