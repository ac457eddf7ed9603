#!/usr/bin/env bash
# `make demo`: start the sandbox cloud, rotate a certificate with --diff, run again to show nothing changes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CERTOPS_DEMO_DIR=$root/build/demo
export PYTHONPATH=$root/tests${PYTHONPATH:+:$PYTHONPATH}
export ANSIBLE_COLLECTIONS_PATH=$root/build/collections
export ANSIBLE_NOCOLOR=${ANSIBLE_NOCOLOR:-}
rm -rf "$CERTOPS_DEMO_DIR"
python demo/prepare.py "$CERTOPS_DEMO_DIR"

python -m sandbox_cloud serve --state "$CERTOPS_DEMO_DIR/state.yml" --ready-file "$CERTOPS_DEMO_DIR/ready.json" \
  --log-file "$CERTOPS_DEMO_DIR/requests.jsonl" >"$CERTOPS_DEMO_DIR/sandbox.out" 2>&1 &
sandbox=$!
trap 'kill $sandbox 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$CERTOPS_DEMO_DIR/ready.json" ] && break; sleep 0.1; done
url=$(python -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$CERTOPS_DEMO_DIR/ready.json")
# shellcheck disable=SC1091
. "$CERTOPS_DEMO_DIR/env.sh"
export TENCENTCLOUD_ENDPOINT=$url
echo "sandbox cloud at $url"

echo; echo "=== 1. rotation (with --diff) ==="
ansible-playbook -i demo/inventory.yml demo/rotate.yml --diff
echo; echo "=== 2. the same run again: nothing changes ==="
ansible-playbook -i demo/inventory.yml demo/rotate.yml --diff | tee "$CERTOPS_DEMO_DIR/second-run.txt"
grep -q 'changed=0' "$CERTOPS_DEMO_DIR/second-run.txt"
python - "$CERTOPS_DEMO_DIR/requests.jsonl" <<'PY'
import collections, json, sys
calls = [json.loads(line) for line in open(sys.argv[1])]
count = collections.Counter(("write" if c["write"] else "read", c["action"]) for c in calls)
print("\nAPI calls the sandbox cloud saw:")
for (kind, action), n in sorted(count.items()):
    print("  %-5s %-50s %d" % (kind, action, n))
PY
