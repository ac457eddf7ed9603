#!/usr/bin/env bash
# Type-check the typed core with mypy: the module base classes and the batching seam (_module.py), the API layer
# (_api.py), the provider registry (_providers.py), CLB's domain logic and the controller-side compat and run code.
# The collection is imported as ansible_collections.certops.cloud, so mypy runs in a tree laid out that way.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py=${PYTHON:-$root/.venv/bin/python}
work=$(mktemp -d "${TMPDIR:-/tmp}/certops-typecheck.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/ansible_collections/certops"
ln -s "$root" "$work/ansible_collections/certops/cloud"
cd "$work"
c=ansible_collections/certops/cloud/plugins
"$py" -m mypy --python-version 3.11 --explicit-package-bases --namespace-packages --follow-imports=silent \
  --ignore-missing-imports --disallow-untyped-defs --warn-unused-ignores --no-error-summary \
  "$c/module_utils/_module.py" "$c/module_utils/_api.py" "$c/module_utils/_providers.py" \
  "$c/plugin_utils/_compat.py" "$c/plugin_utils/_runs.py"
"$py" -m mypy --python-version 3.11 --explicit-package-bases --namespace-packages --follow-imports=silent \
  --ignore-missing-imports --no-error-summary "$c/module_utils/_tencentcloud/clb.py" "$c/module_utils/_store.py"
echo "typecheck: mypy found no problem in the typed core"
