#!/usr/bin/env bash
# `make demo`: start the sandbox cloud, rotate a certificate with --diff, run again to show nothing changes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CERTOPS_DEMO_DIR=$root/build/demo
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
# Each endpoint must serve the new leaf with its chain, and that chain must validate to the demo root.
# The TLS check connects to the sandbox's TLS port (rotate_verify_host/_port: every endpoint without its own).
rotate=(ansible-playbook certops.cloud.rotate -e rotate_verify_delay=0.2 -e rotate_report_file="$CERTOPS_DEMO_DIR/report.json"
  -e rotate_verify_ca_path="$CERTOPS_DEMO_DIR/root.pem" -e rotate_verify_host="$CERTOPS_VERIFY_HOST"
  -e rotate_verify_port="$CERTOPS_VERIFY_PORT")
log=$CERTOPS_DEMO_DIR/requests.jsonl
touch "$log"

# run TITLE INVENTORY CERT EXPECT ARGS...: one rotation with CERT; EXPECT is yes (every endpoint changes), no (none
# does, no write) or some (at least one changes).
run() {
  local title=$1 inventory=$2 cert=$3 expect=$4; shift 4
  local out=$CERTOPS_DEMO_DIR/run-$((++runs)).txt before
  before=$(wc -l <"$log")
  echo; echo "=== $runs. $title ==="
  "${rotate[@]}" -i "$inventory" -e rotate_certificate_file="$CERTOPS_DEMO_DIR/$cert.fullchain.pem" \
    -e rotate_private_key_file="$CERTOPS_DEMO_DIR/$cert.key" "$@" | tee "$out"
  python - "$log" "$before" "$expect" "$CERTOPS_DEMO_DIR/report.json" <<'PY'
import collections, json, sys
calls = [json.loads(line) for line in open(sys.argv[1]).read().splitlines()[int(sys.argv[2]):]]
rows = json.load(open(sys.argv[4]))
expect = sys.argv[3]
wanted = {"yes": ("changed",), "no": ("ok",), "some": ("changed", "ok")}[expect]
wrong = ["%s: %s" % (row["endpoint"], row["result"]) for row in rows if row["result"] not in wanted or not (row["verified"] or row["check_mode"])]
if wrong or (expect == "some" and not any(row["result"] == "changed" for row in rows)):
    sys.exit("every endpoint should be %s and verified: %s" % (" or ".join(wanted), ", ".join(wrong) or "none changed"))
count = collections.Counter(("write" if c["write"] else "read", c["action"]) for c in calls)
print("API calls the sandbox cloud saw in this run:")
for (kind, action), n in sorted(count.items()):
    print("  %-5s %-50s %d" % (kind, action, n))
writes = sum(n for (kind, _action), n in count.items() if kind == "write")
if sys.argv[3] == "no" and writes:
    sys.exit("this run should have written nothing, it wrote %d times" % writes)
PY
  if [ "$expect" = no ] && grep -Eq 'changed=[1-9]' "$out"; then
    echo "this run should have changed nothing" >&2
    exit 1
  fi
}
runs=0

run "this quarter's rotation (with --diff)" demo/inventory.yml new yes --diff
run "the same run again: nothing changes" demo/inventory.yml new no
run "the next quarter, same inventory: every endpoint changes again, last quarter's certificates are removed (--diff)" \
  demo/inventory.yml next yes --diff -e rotate_cleanup=true
run "the next quarter again: nothing changes" demo/inventory.yml next no

echo; echo "=== $((++runs)). discovery: every endpoint of *.example.com the account has, found by its listing APIs ==="
ansible-inventory -i demo/endpoints.certops.yml --graph
run "the next quarter on the discovered inventory, in check mode: the endpoint demo/inventory.yml forgot is pending" \
  demo/endpoints.certops.yml next some --check
run "the next quarter on the discovered inventory: the forgotten endpoint is rotated too; unused old certificates removed" \
  demo/endpoints.certops.yml next some -e rotate_cleanup=true
run "the discovered inventory again: nothing changes" demo/endpoints.certops.yml next no

echo; echo "=== $((++runs)). the nightly audit of every endpoint the accounts have, with no certificate at hand ==="
echo "(meanwhile somebody put a CDN in front of static.example.com, and another team's www.example.org was never rotated)"
python -c 'import sys; from sandbox_cloud.client import SandboxClient; SandboxClient(sys.argv[1]).patch_state(["tls", "drift"], ["static.example.com"])' "$url"
before=$(wc -l <"$log")
set +e
ansible-playbook certops.cloud.audit -i demo/accounts.certops.yml -e audit_verify_host="$CERTOPS_VERIFY_HOST" \
  -e audit_verify_port="$CERTOPS_VERIFY_PORT" -e audit_ca_path="$CERTOPS_DEMO_DIR/root.pem" \
  -e audit_report_file="$CERTOPS_DEMO_DIR/audit.json" -e audit_metrics_file="$CERTOPS_DEMO_DIR/certops.prom" | tee "$CERTOPS_DEMO_DIR/audit.txt"
status=${PIPESTATUS[0]}
set -e
python - "$log" "$before" "$status" "$CERTOPS_DEMO_DIR/audit.json" "$CERTOPS_DEMO_DIR/certops.prom" <<'PY'
import json, sys
calls = [json.loads(line) for line in open(sys.argv[1]).read().splitlines()[int(sys.argv[2]):]]
states = {row["endpoint"]: row["state"] for row in json.load(open(sys.argv[4]))}
drifted = [name for name, state in states.items() if state == "drift"]
expiring = [name for name, state in states.items() if state == "expiring"]
if not (drifted and expiring) or sys.argv[3] == "0" or any(c["write"] for c in calls):
    sys.exit("the audit should fail, find a drifted and an expiring endpoint and write nothing: %s" % states)
print("The audit wrote nothing (%d read calls), failed the job (exit %s) for %s, warned of %s." % (
    len(calls), sys.argv[3], ", ".join(drifted), ", ".join(expiring)))
print("Prometheus metrics for the node_exporter textfile collector (%s), the drifted endpoint's:" % sys.argv[5])
for line in open(sys.argv[5]).read().splitlines():
    if drifted[0] in line and (" 1" in line[-2:] or "served_matches" in line):
        print("  " + line)
PY
echo; echo "make demo: done"
