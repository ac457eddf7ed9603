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
tls_port=$(python -c 'import json,sys; print(json.load(open(sys.argv[1]))["tls_port"])' "$CERTOPS_DEMO_DIR/ready.json")
export TENCENTCLOUD_ENDPOINT=$url ALIBABA_CLOUD_ESA_ENDPOINT=$url
export CERTOPS_VERIFY_HOST=127.0.0.1 CERTOPS_VERIFY_PORT=$tls_port
echo "sandbox cloud at $url, serving the bound certificates over TLS on port $tls_port"
rotate=(ansible-playbook certops.cloud.rotate -i demo/inventory.yml
        -e rotate_certificate_file="$CERTOPS_DEMO_DIR/new.fullchain.pem" -e rotate_private_key_file="$CERTOPS_DEMO_DIR/new.key"
        -e rotate_verify_delay=0.2 -e rotate_report_file="$CERTOPS_DEMO_DIR/report.json")

echo; echo "=== 1. rotation (with --diff) ==="
"${rotate[@]}" --diff
echo; echo "=== 2. the same run again: nothing changes ==="
"${rotate[@]}" --diff | tee "$CERTOPS_DEMO_DIR/second-run.txt"
if grep -Eq 'changed=[1-9]' "$CERTOPS_DEMO_DIR/second-run.txt"; then
  echo "the second run changed something" >&2
  exit 1
fi
python - "$CERTOPS_DEMO_DIR/requests.jsonl" <<'PY'
import collections, json, sys
calls = [json.loads(line) for line in open(sys.argv[1])]
count = collections.Counter(("write" if c["write"] else "read", c["action"]) for c in calls)
print("\nAPI calls the sandbox cloud saw:")
for (kind, action), n in sorted(count.items()):
    print("  %-5s %-50s %d" % (kind, action, n))
PY
