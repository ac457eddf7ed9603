# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: endpoints
short_description: Discover the TLS endpoints of Tencent Cloud and Alibaba Cloud accounts
version_added: 0.1.0
author:
  - certops.cloud contributors (@certops)
description:
  - Lists the TLS endpoints of the accounts with the products' own listing APIs and makes each an inventory host
    that the C(certops.cloud.rotate) role takes as it is - TSE gateway certificate entries
    (C(DescribeCloudNativeAPIGateways), C(DescribeCloudNativeAPIGatewayCertificates)), GAAP listener domains
    (C(DescribeProxies), C(DescribeHTTPSListeners), C(DescribeRules)), EdgeOne hosts with their own certificate
    (C(DescribeZones), C(DescribeAccelerationDomains)), CLB HTTPS listeners and SNI rules (C(DescribeLoadBalancers),
    C(DescribeListeners)) and ESA site certificates (C(ListSites), C(ListCertificates)). Every listing is paged.
  - Read only - no write API is ever called.
  - Each host has C(certops_endpoint) (the provider, the module's identity options and C(server_name)),
    C(certops_certificate) (what is bound now - C(store), C(store_id), leaf C(fingerprint_sha256), C(not_after),
    C(subject_alt_names); never key material), C(certops_days_left) and C(ansible_connection=local). Host names are
    derived from the identity (for example C(clb-lb-0a1b2c3d-lbl-4e5f6a7b-www.example.com)) and stable across runs.
  - Credentials, API endpoints and retries are those of the modules (same option names, same environment variables,
    the same client layer). A provider whose API fails fails the inventory, naming the provider, the region and the
    error, so that a scheduled rotation never runs on an inventory that silently lacks endpoints.
  - EdgeOne hosts without HTTPS (V(disable)) or with a certificate EdgeOne manages itself (V(eofreecert)) and ESA
    free certificates are not endpoints.
  - The configuration file name must end with C(.certops.yml) or C(.certops.yaml).
extends_documentation_fragment:
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
seealso:
  - name: The certops.cloud.rotate role
    link: https://github.com/certops/cloud/blob/main/docs/rotate.md
    description: Takes the hosts of this inventory as its endpoints.
  - module: certops.cloud.certificate_check
    description: Checks the C(certops_endpoint) of every host, and that a certificate covers their names.
  - module: certops.cloud.tencentcloud_certificate_usage_info
    description: The same discovery, asked which endpoints use given certificates.
  - plugin: ansible.builtin.constructed
    plugin_type: inventory
    description: The C(keyed_groups), C(groups) and C(compose) options this plugin takes.
options:
  plugin:
    description: The name of this plugin.
    type: str
    required: true
    choices: [certops.cloud.endpoints]
  providers:
    description: The products whose endpoints are listed.
    type: list
    elements: str
    choices: [tse, gaap, teo, clb, esa]
    default: [tse, gaap, teo, clb, esa]
  tencentcloud:
    description:
      - The connection options of the C(tencentcloud_*) modules (V(secret_id), V(secret_key), V(security_token),
        V(region), V(role_arn), V(role_session_name), V(api_domain), V(endpoint), V(api_timeout), V(api_retries),
        V(api_rate_limit)); their environment variables apply (C(TENCENTCLOUD_SECRET_ID), ...). V(endpoint) is the API
        endpoint, the address of the Tencent Cloud API, not one of the endpoints this plugin lists.
      - V(regions) - the regions whose TSE gateways and CLB load balancers are listed (default V(region)); GAAP and
        EdgeOne are global and listed once.
    type: dict
    default: {}
  alicloud:
    description:
      - The connection options of the C(alicloud_*) modules (V(access_key_id), V(access_key_secret),
        V(security_token), V(region), V(endpoint), V(api_timeout), V(api_retries), V(api_rate_limit)); their environment
        variables apply (C(ALIBABA_CLOUD_ACCESS_KEY_ID), ...). V(endpoint) is the API endpoint, the address of the ESA
        API, not one of the endpoints this plugin lists.
      - V(regions) - the regions whose ESA sites are listed (default V(region), else V(cn-hangzhou)).
    type: dict
    default: {}
  names:
    description:
      - Keep only the endpoints whose name (domain, host, bind domain, site) or whose served certificate's names match
        one of these host name globs, for example V(*.example.com). Empty keeps every endpoint.
    type: list
    elements: str
    default: []
  expires_within_days:
    description:
      - Keep only the endpoints whose certificate expires in fewer days (and those whose expiry is not known).
    type: int
  concurrency:
    description: How many listings (a provider in a region) run at the same time.
    type: int
    default: 4
"""

EXAMPLES = r"""
# inventory/prod.certops.yml: every endpoint of *.example.com in two regions
plugin: certops.cloud.endpoints
tencentcloud:
  regions: [ap-guangzhou, ap-shanghai]   # keys from TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY
alicloud:
  regions: [cn-hangzhou]
names: ["*.example.com", "example.com"]
keyed_groups:
  - key: certops_endpoint.provider
    prefix: provider
groups:
  expiring: certops_days_left is not none and certops_days_left < 30
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: /tmp/certops-inventory
cache_timeout: 3600

# A second source, inventory/expiring.certops.yml: only what expires within 30 days, TSE and CLB only
# plugin: certops.cloud.endpoints
# providers: [tse, clb]
# tencentcloud:
#   region: ap-guangzhou
# expires_within_days: 30
"""

import difflib
import sys

from ansible.errors import AnsibleParserError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.certops.cloud.plugins.module_utils._discovery import (
    TENCENT_PROVIDERS,
    Discovery,
    DiscoveryError,
    check_region,
    days_left,
    select,
)
from ansible_collections.certops.cloud.plugins.module_utils._providers import NAMES

SUFFIXES = (".certops.yml", ".certops.yaml")


def connection(spec, given, what):
    """The options of ``what`` (tencentcloud or alicloud) as the modules take them: defaults, environment, types."""
    if not isinstance(given, dict):
        raise AnsibleParserError("%s must be a dict of the modules' connection options" % what)
    result = ArgumentSpecValidator(dict(spec, regions=dict(type="list", elements="str"))).validate(dict(given))
    if result.error_messages:
        raise AnsibleParserError("%s: %s" % (what, "; ".join(result.error_messages)))
    return result.validated_parameters


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    """certops.cloud.endpoints: every TLS endpoint the rotate role must reach."""

    NAME = "certops.cloud.endpoints"

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(SUFFIXES)

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self.check_options(self._read_config_data(path), path)
        cache_key = self.get_cache_key(path)
        use_cache = self.get_option("cache") and cache
        hosts = None
        if use_cache:
            try:
                hosts = self._cache[cache_key]
            except KeyError:
                hosts = None
        if hosts is None:
            hosts = self.discover()
            if self.get_option("cache"):
                self._cache[cache_key] = hosts
        for host in hosts:
            self.add_endpoint(host)

    def check_options(self, config, path):
        """Fail on a top-level key the plugin does not take (a typo such as ``name`` for ``names`` would otherwise drop
        the filter silently), naming it and the closest option."""
        known = sorted(self.get_options())
        unknown = sorted(str(key) for key in config if key not in known)
        if unknown:
            hints = ["%s (did you mean %s?)" % (key, close[0]) if close else key
                     for key in unknown for close in [difflib.get_close_matches(key, known, 1)]]
            raise AnsibleParserError("%s: unknown option%s %s; the options are %s" % (
                path, "s" if len(unknown) > 1 else "", ", ".join(hints), ", ".join(known)))

    def discover(self):
        providers = self.get_option("providers")
        unknown = sorted(set(providers) - set(NAMES))
        if unknown:
            raise AnsibleParserError("providers: unknown provider %s (one of %s)" % (", ".join(unknown), ", ".join(NAMES)))
        try:
            discovery, tencent_regions, alicloud_regions = self.clients(providers)
            found = discovery.run(providers, tencent_regions, alicloud_regions)
            kept = select(found, self.get_option("names"), self.get_option("expires_within_days"))
        except DiscoveryError as exc:
            raise AnsibleParserError("certops.cloud.endpoints: %s" % exc)
        return [dict(name=item["name"], endpoint=item["endpoint"], certificate=item["certificate"]) for item in kept]

    def clients(self, providers):
        """(Discovery, Tencent Cloud regions, Alibaba Cloud regions) from the connection options."""
        from ansible_collections.certops.cloud.plugins.module_utils._alicloud.client import (  # pylint: disable=import-outside-toplevel
            ALICLOUD_ARGUMENT_SPEC,
            DEFAULT_REGION,
            AliCloud,
        )
        from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.client import (  # pylint: disable=import-outside-toplevel
            TENCENTCLOUD_ARGUMENT_SPEC,
            TencentCloud,
        )
        tencent = connection(TENCENTCLOUD_ARGUMENT_SPEC, self.get_option("tencentcloud"), "tencentcloud")
        alicloud = connection(ALICLOUD_ARGUMENT_SPEC, self.get_option("alicloud"), "alicloud")
        tencent_regions = [check_region(r) for r in tencent.pop("regions") or ([tencent["region"]] if tencent["region"] else [])]
        alicloud_regions = [check_region(r) for r in alicloud.pop("regions") or [alicloud["region"] or DEFAULT_REGION]]
        if set(providers) & set(TENCENT_PROVIDERS) and not tencent_regions:
            raise DiscoveryError("tencentcloud.regions (or tencentcloud.region, TENCENTCLOUD_REGION) is required for %s"
                                 % ", ".join(p for p in providers if p in TENCENT_PROVIDERS))
        discovery = Discovery(concurrency=self.get_option("concurrency"))
        discovery.tencent = lambda region: discovery.shared.memo(("tencent", region), lambda: TencentCloud(dict(tencent, region=region), discovery.shared))
        discovery.alicloud = lambda region: discovery.shared.memo(("alicloud", region), lambda: AliCloud(dict(alicloud, region=region), discovery.shared))
        return discovery, tencent_regions, alicloud_regions

    def add_endpoint(self, host):
        name = self.inventory.add_host(host["name"])
        variables = dict(certops_endpoint=host["endpoint"], certops_certificate=host["certificate"],
                         certops_days_left=days_left(host["certificate"]), ansible_connection="local",
                         ansible_python_interpreter=sys.executable)
        for key, value in variables.items():
            self.inventory.set_variable(name, key, value)
        strict = self.get_option("strict")
        hostvars = self.inventory.get_host(name).get_vars()
        self._set_composite_vars(self.get_option("compose"), hostvars, name, strict=strict)
        hostvars = self.inventory.get_host(name).get_vars()
        self._add_host_to_composed_groups(self.get_option("groups"), hostvars, name, strict=strict)
        self._add_host_to_keyed_groups(self.get_option("keyed_groups"), hostvars, name, strict=strict)
