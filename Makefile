# certops.cloud: `make demo` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The oldest supported ansible-core (requirements-2.16.txt): `make test` runs its sanity tests and an integration subset.
VENV_OLDEST := .venv-2.16
BUILD := build
COLLECTIONS := $(BUILD)/collections
VERSION := $(shell sed -n 's/^version: *//p' galaxy.yml)
TARBALL := $(BUILD)/dist/certops-cloud-$(VERSION).tar.gz

.PHONY: help venv build demo sandbox test sanity lint typecheck pytest unit integration reliability-doc bench clean

help:
	@echo "make demo   - install everything, start the sandbox cloud, rotate two quarters, each run twice, then audit"
	@echo "make test   - sanity, lint, unit and integration tests"
	@echo "make sandbox - the sandbox cloud in the foreground with the demo world, to try playbooks against (README)"
	@echo "make bench  - the rotate role over 100, 500, 2000 endpoints against the API limit and an ansible ping floor"

$(VENV)/.installed: requirements.txt requirements-dev.txt sandbox/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

$(VENV_OLDEST)/.installed: requirements.txt requirements-2.16.txt sandbox/pyproject.toml
	$(PYTHON) -m venv $(VENV_OLDEST)
	$(VENV_OLDEST)/bin/python -m pip install --quiet --upgrade pip
	$(VENV_OLDEST)/bin/python -m pip install --quiet -r requirements-2.16.txt
	touch $@

venv: $(VENV)/.installed

# Build the tarball users get and install it the way they do.
build: venv
	rm -rf $(BUILD)/dist $(COLLECTIONS)
	$(VENV)/bin/ansible-galaxy collection build --force --output-path $(BUILD)/dist
	$(VENV)/bin/ansible-galaxy collection install --force -p $(COLLECTIONS) $(TARBALL)

demo: build
	PATH=$(abspath $(VENV))/bin:$$PATH bash demo/run.sh

# The sandbox cloud in the foreground, seeded with the demo world; prints the env lines to export (build/sandbox/env.sh).
SANDBOX_PORT ?= 8480
SANDBOX_TLS_PORT ?= 8443
sandbox: build
	SANDBOX_PORT=$(SANDBOX_PORT) SANDBOX_TLS_PORT=$(SANDBOX_TLS_PORT) bash hack/sandbox.sh

# The two venvs install at the same time (downloads and compiling overlap), then the build.
test:
	$(MAKE) -j2 build $(VENV_OLDEST)/.installed
	bash hack/test.sh

sanity: venv
	bash hack/sanity.sh

lint: build
	ANSIBLE_COLLECTIONS_PATH=$(abspath $(COLLECTIONS)) $(VENV)/bin/ansible-lint

typecheck: venv
	bash hack/typecheck.sh

pytest: build $(VENV_OLDEST)/.installed
	CERTOPS_COLLECTIONS_PATH=$(abspath $(COLLECTIONS)) $(PY) -m pytest tests/unit tests/integration

unit: venv
	$(PY) -m pytest tests/unit

integration: build
	CERTOPS_COLLECTIONS_PATH=$(abspath $(COLLECTIONS)) $(PY) -m pytest tests/integration

# Run the suite and write its figures into docs/reliability.md.
reliability-doc: build
	rm -rf $(BUILD)/reliability
	CERTOPS_COLLECTIONS_PATH=$(abspath $(COLLECTIONS)) $(PY) -m pytest -p no:cacheprovider -n 3 tests/integration
	$(PY) hack/reliability_report.py --write

# N = 100, 500, 2000 mixed endpoints against the rate-limit and ping floors; writes docs/performance.md. Not part of `make test`.
bench: build
	$(PY) bench/bench.py --write

clean:
	rm -rf $(BUILD) tests/output .pytest_cache
