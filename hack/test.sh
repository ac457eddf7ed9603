#!/usr/bin/env bash
# `make test`: every stage runs; the exit status is non-zero if any failed.
# The static checks (sanity, lint, docs, types) run in the background while pytest runs: they wait on package installs
# and pytest on the sandbox cloud's TLS and task polls, so together they use the two cores better than one by one.
# Their output is shown when they end; pytest's streams as it runs.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
py=$root/.venv/bin/python
export CERTOPS_COLLECTIONS_PATH=$root/build/collections
logs=$(mktemp -d "${TMPDIR:-/tmp}/certops-test.XXXXXX")
trap 'rm -rf "$logs"' EXIT
failed=()
summaries=()

# stage NAME CMD...: run CMD, its output also in $logs/NAME.log; the status and seconds in $logs/NAME.status.
stage() {
  local name=$1; shift
  local start=$SECONDS status=0
  "$@" >"$logs/$name.log" 2>&1 || status=$?
  echo "$status $((SECONDS - start))" >"$logs/$name.status"
}

# report NAME TITLE: show a finished stage and remember a failure.
report() {
  local name=$1 title=$2 status seconds
  read -r status seconds <"$logs/$name.status"
  echo "==> $title"
  cat "$logs/$name.log"
  if [ "$status" -eq 0 ]; then
    echo "==> $title: ok ($seconds s)"
  else
    echo "==> $title: FAILED ($seconds s)"
    failed+=("$title")
    summaries+=("--- $title: problems found ---" "$(grep -E '^(ERROR|FATAL|FAILED|E  )|Error|error:' "$logs/$name.log" | grep -v '^ERROR: Command' | tail -n 40)")
  fi
}

# The oldest supported ansible-core (requirements-2.16.txt): its own sanity set over what the tarball ships and the unit
# tests here; the integration tests marked ON_BOTH_CORES run with it in the pytest run below.
oldest=$root/.venv-2.16/bin/python
static() {
  stage sanity bash hack/sanity.sh
  stage lint env ANSIBLE_COLLECTIONS_PATH="$CERTOPS_COLLECTIONS_PATH" "$root/.venv/bin/ansible-lint"
  stage docs bash hack/docs-lint.sh
  stage types bash hack/typecheck.sh
  stage sanity-oldest env PYTHON="$oldest" SANITY_SHIPPED=1 bash hack/sanity.sh
  stage unit-oldest "$oldest" -m pytest -p no:cacheprovider -q tests/unit
}
static &
static_pid=$!

export CERTOPS_RELIABILITY_DIR=$root/build/reliability
rm -rf "$CERTOPS_RELIABILITY_DIR"
echo "==> pytest (sandbox, unit, integration; the tests marked ON_BOTH_CORES also with ansible-core 2.16); ansible-test sanity," \
  "ansible-lint, the docs lint, mypy, and sanity and unit tests with ansible-core 2.16 run meanwhile"
start=$SECONDS
if "$py" -m pytest -p no:cacheprovider -n 3 --durations=15 sandbox/tests tests/unit tests/integration 2>&1 | tee "$logs/pytest.log"; then
  pytest_status="ok"
else
  pytest_status="FAILED"
  failed+=("pytest (sandbox, unit, integration)")
  summaries+=("--- pytest: problems found ---" "$(grep -E '^(FAILED|ERROR|E  )' "$logs/pytest.log" | tail -n 40)")
fi
pytest_seconds=$((SECONDS - start))

wait "$static_pid"
report sanity "ansible-test sanity"
report lint "ansible-lint (production)"
report docs "antsibull-docs lint-collection-docs --plugin-docs"
report types "mypy (the typed core: base classes, batching seam, provider registry)"
oldest_core=$("$oldest" -c 'import ansible; print(ansible.__version__)')
report sanity-oldest "ansible-test sanity with ansible-core $oldest_core"
report unit-oldest "unit tests with ansible-core $oldest_core"
stage reliability "$py" hack/reliability_report.py --check
report reliability "reliability figures (docs/reliability.md)"
echo "==> pytest (sandbox, unit, integration): $pytest_status ($pytest_seconds s)"

if [ ${#failed[@]} -gt 0 ]; then
  printf '%s\n' "${summaries[@]}"
  echo "make test: failed stages: ${failed[*]}"
  exit 1
fi
echo "make test: all stages passed"
