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
rotate=(ansible-playbook certops.cloud.rotate -i demo/inventory.yml -e rotate_verify_delay=0.2
        -e rotate_report_file="$CERTOPS_DEMO_DIR/report.json")
log=$CERTOPS_DEMO_DIR/requests.jsonl
touch "$log"

# run TITLE CERT EXPECT_CHANGES ARGS...: one rotation with CERT; EXPECT_CHANGES=no fails the demo on any change or write.
run() {
  local title=$1 cert=$2 expect=$3; shift 3
  local out=$CERTOPS_DEMO_DIR/run-$((++runs)).txt before
  before=$(wc -l <"$log")
  echo; echo "=== $runs. $title ==="
  "${rotate[@]}" -e rotate_certificate_file="$CERTOPS_DEMO_DIR/$cert.fullchain.pem" \
    -e rotate_private_key_file="$CERTOPS_DEMO_DIR/$cert.key" "$@" | tee "$out"
  python - "$log" "$before" "$expect" "$CERTOPS_DEMO_DIR/report.json" <<'PY'
import collections, json, sys
calls = [json.loads(line) for line in open(sys.argv[1]).read().splitlines()[int(sys.argv[2]):]]
rows = json.load(open(sys.argv[4]))
wanted = "changed" if sys.argv[3] == "yes" else "ok"
wrong = ["%s: %s" % (row["endpoint"], row["result"]) for row in rows if row["result"] != wanted or not row["verified"]]
if wrong:
    sys.exit("every endpoint should be %s and verified: %s" % (wanted, ", ".join(wrong)))
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

run "this quarter's rotation (with --diff)" new yes --diff
run "the same run again: nothing changes" new no
run "the next quarter, same inventory: every endpoint changes again (with --diff)" next yes --diff
run "the next quarter again: nothing changes" next no
