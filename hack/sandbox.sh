#!/usr/bin/env bash
# `make sandbox`: the sandbox cloud in the foreground, seeded with the demo world, for trying playbooks by hand
# (README, "Try it against the sandbox"). Ctrl-C stops it.
# SANDBOX_DIR (default build/sandbox): where the world, its certificates and env.sh are written.
# SANDBOX_PORT, SANDBOX_TLS_PORT (default 8480, 8443; 0 picks a free port): where the APIs and the TLS frontend listen.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py=${PYTHON:-$root/.venv/bin/python}
dir=${SANDBOX_DIR:-$root/build/sandbox}
collections=${CERTOPS_COLLECTIONS_PATH:-$root/build/collections}
rm -rf "$dir"
"$py" "$root/demo/prepare.py" "$dir"
dir=$(cd "$dir" && pwd)

"$py" -m sandbox_cloud serve --state "$dir/state.yml" --port "${SANDBOX_PORT:-8480}" --tls-port "${SANDBOX_TLS_PORT:-8443}" \
  --ready-file "$dir/ready.json" --log-file "$dir/requests.jsonl" &
sandbox=$!
trap 'kill "$sandbox" 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM
for _ in $(seq 150); do
  [ -s "$dir/ready.json" ] && break
  kill -0 "$sandbox" 2>/dev/null || { echo "make sandbox: the sandbox cloud did not start (a port taken? set SANDBOX_PORT, SANDBOX_TLS_PORT)" >&2; exit 1; }
  sleep 0.1
done
read -r url tls_port < <("$py" -c 'import json, sys; r = json.load(open(sys.argv[1])); print(r["url"], r["tls_port"])' "$dir/ready.json")

# demo/prepare.py wrote the keys of the demo accounts; add where the APIs are, where the role's TLS check connects
# (-e rotate_verify_host="$CERTOPS_VERIFY_HOST" -e rotate_verify_port="$CERTOPS_VERIFY_PORT"), the tools and the built
# collection.
cat >>"$dir/env.sh" <<EOF
export TENCENTCLOUD_ENDPOINT=$url
export ALIBABA_CLOUD_ESA_ENDPOINT=$url
export CERTOPS_VERIFY_HOST=127.0.0.1
export CERTOPS_VERIFY_PORT=$tls_port
export ANSIBLE_COLLECTIONS_PATH=$collections
export PATH=$(dirname "$py"):\$PATH
EOF

cat <<EOF

The sandbox cloud is seeded with the demo world ($dir/state.yml): one endpoint per provider, each on a
*.example.com certificate that expires in 9 days; the renewals are new.fullchain.pem + new.key and next.fullchain.pem
+ next.key in $dir.

  API (Tencent Cloud, Alibaba Cloud ESA): $url   (the connection option endpoint)
  TLS frontend (serves the bound certificates by SNI): 127.0.0.1:$tls_port   (rotate_verify_host, rotate_verify_port of the role)
  requests: $dir/requests.jsonl

In another shell, from $root:

  . ${dir#"$root"/}/env.sh

which exports:

$(sed 's/^/  /' "$dir/env.sh")

Ctrl-C stops the sandbox cloud.
EOF
wait "$sandbox"
