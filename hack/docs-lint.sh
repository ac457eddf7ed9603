#!/usr/bin/env bash
# Lint the collection's documentation the way the Ansible docsite builds it: plugin and role docs (schema, markup,
# references to options, return values and other plugins) and docs/ (rstcheck).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/.venv/bin
PATH=$bin:$PATH
export PATH
# shellcheck source=hack/lib.sh
. "$root/hack/lib.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/certops-docs.XXXXXX")
trap 'rm -rf "$work"' EXIT
dest=$(collection_tree "$work")
cd "$dest"
ANSIBLE_COLLECTIONS_PATH=$work "$bin/antsibull-docs" lint-collection-docs --plugin-docs --disallow-unknown-collection-refs .
echo "docs lint: plugin, role and extra docs of certops.cloud are valid"
