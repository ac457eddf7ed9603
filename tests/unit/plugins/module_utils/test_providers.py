# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The provider registry: what it says of each provider holds in the code, and its small functions."""

from __future__ import annotations

import ast
import importlib
import pathlib
import re

import pytest
import yaml

from ansible_collections.certops.cloud.plugins.module_utils._providers import (
    CLEANUP_ACTIONS,
    CREDENTIAL_ACTIONS,
    NAMES,
    PROVIDERS,
    STORE_ACTIONS,
    STORE_MODULES,
    endpoint_problem,
)

ROOT = pathlib.Path(__file__).resolve().parents[4]
PLUGINS = ROOT / "plugins"


def module_class(name):
    """The module class a module's main() runs (the one class defined in the module file)."""
    module = importlib.import_module("ansible_collections.certops.cloud.plugins.modules." + name)
    return next(value for value in vars(module).values() if isinstance(value, type) and value.__module__ == module.__name__)


@pytest.mark.parametrize("name", NAMES)
def test_each_providers_modules_exist_take_its_batch_and_are_in_its_action_group(name):
    provider = PROVIDERS[name]
    runtime = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text())
    for module in (provider.bind_module, provider.info_module):
        assert (PLUGINS / "modules" / (module + ".py")).exists(), module
        assert module in runtime["action_groups"][provider.cloud], module
    bind = module_class(provider.bind_module)
    assert tuple(bind.batch_options) == provider.batch_options
    spec = dict(bind.provider_argument_spec, **bind.argument_spec)
    assert set(provider.batch_options) <= set(spec)
    assert set(provider.aliases) <= {alias for option in spec.values() for alias in option.get("aliases", [])}


def test_the_inventory_plugin_offers_every_provider():
    text = (PLUGINS / "inventory" / "endpoints.py").read_text()
    documentation = yaml.safe_load(text.split('DOCUMENTATION = r"""', 1)[1].split('"""', 1)[0])
    assert documentation["options"]["providers"]["choices"] == list(NAMES)
    assert documentation["options"]["providers"]["default"] == list(NAMES)


def called_actions():
    """The API actions the collection's code calls: the capitalized string arguments of its ``call(...)`` and
    ``fetch(...)`` calls, and the strings it picks an action from (``action = "ModifyListener"``)."""
    found = set()
    for path in list((PLUGINS / "module_utils").rglob("*.py")) + list((PLUGINS / "modules").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) in ("call", "fetch"):
                found.update(arg.value for arg in node.args if isinstance(arg, ast.Constant) and str(arg.value)[:1].isupper())
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    pairs = (zip(target.elts, node.value.elts) if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple)
                             else [(target, node.value)])
                    found.update(value.value for name, value in pairs
                                 if getattr(name, "id", None) == "action" and isinstance(value, ast.Constant))
    return found


def test_every_api_action_the_code_calls_is_declared_and_every_declared_one_is_called():
    declared = {action for provider in PROVIDERS.values() for flow in provider.actions.values() for action in flow}
    declared |= {action for store in STORE_ACTIONS.values() for flow in store.values() for action in flow}
    declared |= {action for flow in CLEANUP_ACTIONS.values() for action in flow}
    declared |= {action for actions in CREDENTIAL_ACTIONS.values() for action in actions}
    names = {action.split(":")[1] for action in declared}
    called = called_actions()
    assert called - names == set(), "called but not declared in the provider registry"
    assert names - called == set(), "declared in the provider registry but never called"


def test_the_audit_read_actions_are_reads():
    for provider in PROVIDERS.values():
        for action in provider.actions["read"] + provider.actions["discover"]:
            assert re.match(r"^[a-z]+:(Describe|Get|List)", action), action


def test_stores_the_providers_take_ids_from_are_known():
    assert {provider.store for provider in PROVIDERS.values()} - {None} <= set(STORE_MODULES)


@pytest.mark.parametrize("settings, problem", [
    (None, "certops_endpoint is not set"),
    ({"provider": "azure"}, "unknown provider 'azure' (one of clb, esa, gaap, teo, tse)"),
    ({"provider": "tse", "gateway_id": "g"}, "certops_endpoint of provider tse misses id"),
    ({"provider": "esa", "site_id": 1}, "certops_endpoint of provider esa misses id or name"),
    ({"provider": "clb"}, "certops_endpoint of provider clb misses load_balancer_id or old_certificate_id"),
    ({"provider": "clb", "load_balancer_id": "lb", "old_cert_id": "c"}, "certops_endpoint of provider clb sets load_balancer_id and "
                                                                        "old_certificate_id: set one"),
    ({"provider": "teo", "zone_id": "z", "hosts": []}, "certops_endpoint.hosts must be a non-empty list of host names"),
    ({"provider": "gaap", "listener_id": "l", "domain": "d"}, None),
])
def test_endpoint_problems(settings, problem):
    assert endpoint_problem(settings) == problem


def test_rollback_puts_back_what_each_provider_held():
    tse = PROVIDERS["tse"].rollback({"gateway_id": "g", "id": "i", "region": "r"}, {"before": {"cert_source": "ssl", "cert_id": "OLD"}})
    assert tse == [{"gateway_id": "g", "id": "i", "region": "r", "cert_source": "ssl", "cert_id": "OLD"}]
    assert PROVIDERS["tse"].rollback({"gateway_id": "g", "id": "i"}, {"before": {"cert_source": "native"}}) == []
    teo = PROVIDERS["teo"].rollback({"zone_id": "z", "hosts": ["a", "b"]}, {"changed_hosts": ["a", "b"], "before": {"zone_id": "z", "hosts": {
        "a": {"mode": "sslcert", "cert_ids": ["OLD"]}, "b": {"mode": "disable", "cert_ids": []}}}})
    assert teo == [{"zone_id": "z", "hosts": ["a"], "mode": "sslcert", "cert_ids": ["OLD"], "require_coverage": False},
                   {"zone_id": "z", "hosts": ["b"], "mode": "disable", "require_coverage": False}]
    clb = PROVIDERS["clb"].rollback({"load_balancer_id": "lb", "region": "r"}, {"before": {"certificate_id": "OLD"}})
    assert clb == [{"load_balancer_id": "lb", "region": "r", "scope": "endpoint", "certificate_id": "OLD"}]
    by_old = PROVIDERS["clb"].rollback({"old_certificate_id": "OLD"}, {"certificate_id": "NEW", "before": {"certificate_id": "OLD"}})
    assert by_old == [{"scope": "certificate", "old_certificate_id": "NEW", "certificate_id": "OLD"}]
    assert PROVIDERS["esa"].rollback is None and PROVIDERS["esa"].no_rollback


def test_a_bind_takes_the_store_id_or_without_one_the_pem():
    gaap, pem = PROVIDERS["gaap"], {"certificate": "PEM", "private_key": "KEY"}
    batch = [{"listener_id": "l", "domain": "d", "wait_interval": 1}]
    assert gaap.bind_run(batch, {"gaap": ""}, pem) == ("certops.cloud.tencentcloud_gaap_domain_certificate", dict(pem, batch=batch))
    assert gaap.bind_run(batch, {"gaap": "G1"}, pem)[1] == {"certificate_id": "G1", "batch": batch}
    assert PROVIDERS["teo"].bind_run([], {"ssl": ""}, pem)[1] == dict(pem, mode="sslcert", batch=[])
    assert PROVIDERS["tse"].bind_run([], {"ssl": ""}, pem)[1]["certificate"] == "PEM"


@pytest.mark.parametrize("name", NAMES)
def test_each_providers_lister_exists_and_the_usage_module_carries_the_tencent_ones(name):
    provider = PROVIDERS[name]
    module = importlib.import_module("ansible_collections.certops.cloud.plugins.module_utils." + provider.lister)
    assert callable(module.list_endpoints)
    usage = (PLUGINS / "modules" / "tencentcloud_certificate_usage_info.py").read_text()
    imported = {alias.name for node in ast.walk(ast.parse(usage)) if isinstance(node, ast.ImportFrom)
                and node.module == "ansible_collections.certops.cloud.plugins.module_utils._tencentcloud" for alias in node.names}
    if provider.cloud == "tencentcloud":
        assert provider.lister.split(".")[-1] in imported, "the usage module's payload must carry %s" % provider.lister
