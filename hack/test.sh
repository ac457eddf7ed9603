#!/usr/bin/env bash
# `make test`: every stage runs; the exit status is non-zero if any failed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
py=$root/.venv/bin/python
export CERTOPS_COLLECTIONS_PATH=$root/build/collections
failed=()
summaries=()
logs=$(mktemp -d "${TMPDIR:-/tmp}/certops-test.XXXXXX")
trap 'rm -rf "$logs"' EXIT

stage() {
  local name=$1; shift
  echo "==> $name"
  local start=$SECONDS
  local log="$logs/${#failed[@]}-$RANDOM.log"
  if "$@" 2>&1 | tee "$log"; then
    echo "==> $name: ok ($((SECONDS - start)) s)"
  else
    echo "==> $name: FAILED ($((SECONDS - start)) s)"
    failed+=("$name")
    summaries+=("--- $name: problems found ---" "$(grep -E '^(ERROR|FATAL|FAILED|E  )|Error|error:' "$log" | grep -v '^ERROR: Command' | tail -n 40)")
  fi
}

stage "ansible-test sanity" bash hack/sanity.sh
stage "ansible-lint (production)" env ANSIBLE_COLLECTIONS_PATH="$CERTOPS_COLLECTIONS_PATH" "$root/.venv/bin/ansible-lint"
stage "antsibull-docs lint-collection-docs --plugin-docs" bash hack/docs-lint.sh
export CERTOPS_RELIABILITY_DIR=$root/build/reliability
rm -rf "$CERTOPS_RELIABILITY_DIR"
stage "pytest (sandbox, unit, integration)" "$py" -m pytest -p no:cacheprovider -n 3 tests/sandbox_tests tests/unit tests/integration
stage "reliability figures (docs/reliability.md)" "$py" hack/reliability_report.py --check

if [ ${#failed[@]} -gt 0 ]; then
  printf '%s\n' "${summaries[@]}"
  echo "make test: failed stages: ${failed[*]}"
  exit 1
fi
echo "make test: all stages passed"
