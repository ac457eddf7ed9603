# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """Connection options shared by every Tencent Cloud module."""

    DOCUMENTATION = r"""
options:
  secret_id:
    description:
      - Tencent Cloud API SecretId.
      - If not set, the value of the E(TENCENTCLOUD_SECRET_ID) environment variable is used.
      - When neither O(secret_id) nor O(secret_key) is set, the Tencent Cloud SDK's own credential
        chain is used (environment, the C(~/.tencentcloud/credentials) profile file, the CVM role).
    type: str
  secret_key:
    description:
      - Tencent Cloud API SecretKey.
      - If not set, the value of the E(TENCENTCLOUD_SECRET_KEY) environment variable is used.
    type: str
  security_token:
    description:
      - Session token of temporary (STS) credentials.
      - If not set, the value of the E(TENCENTCLOUD_SECURITY_TOKEN) environment variable is used.
    type: str
  region:
    description:
      - Tencent Cloud region of the resources, for example V(ap-guangzhou).
      - If not set, the value of the E(TENCENTCLOUD_REGION) environment variable is used.
    type: str
  role_arn:
    description:
      - Assume this CAM role (through STS C(AssumeRole)) with the given credentials and use the
        temporary credentials it returns, for example to manage another account.
      - If not set, the value of the E(TENCENTCLOUD_ROLE_ARN) environment variable is used.
    type: str
  role_session_name:
    description:
      - Session name used with O(role_arn).
    type: str
    default: certops-cloud
  api_domain:
    description:
      - Root domain of the Tencent Cloud API; the API endpoint of a service is C(<service>.<api_domain>) unless
        O(endpoint) is set.
      - Use V(intl.tencentcloudapi.com) for the international site.
      - If not set, the value of the E(TENCENTCLOUD_API_DOMAIN) environment variable is used.
    type: str
    default: tencentcloudapi.com
  endpoint:
    description:
      - The API endpoint - the address of the Tencent Cloud API that every call of the module goes to, whatever the
        service, instead of C(<service>.<api_domain>) - as a host name (HTTPS) or an V(https://) or V(http://) URL,
        for example a private API endpoint or a test sandbox.
      - Not to be confused with the endpoints this collection binds certificates to (gateway certificate entries,
        listener domains, EdgeOne hosts, load balancers).
      - If not set, the value of the E(TENCENTCLOUD_ENDPOINT) environment variable is used.
    type: str
  api_timeout:
    description:
      - Timeout in seconds of one API request.
    type: int
    default: 30
  api_retries:
    description:
      - How many times a call is retried after throttling (C(RequestLimitExceeded)), a transient
        server error or a network error, with jittered exponential backoff.
    type: int
    default: 5
  api_rate_limit:
    description:
      - Most calls a second this task sends to one API action, less 10 % headroom (the documented limit of most actions is 20 a second
        per account); the calls of a C(batch) share it, evenly spaced, so that a big batch stays under the limit
        instead of being throttled and retried. V(0) - no pacing.
    type: float
    default: 20
attributes:
  action_group:
    description: Use C(group/certops.cloud.tencentcloud) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - certops.cloud.tencentcloud
requirements:
  - tencentcloud-sdk-python-common >= 3.0.1000
notes:
  - Every call is signed by the Tencent Cloud SDK (TC3-HMAC-SHA256).
  - "All options can be set for a whole play with C(module_defaults) and the group
    C(group/certops.cloud.tencentcloud)."
"""

    # The modules of a global service - GAAP, EdgeOne, the SSL certificate store (with DOCUMENTATION).
    GLOBAL = r"""
options: {}
notes:
  - The service this module calls is global (GAAP, EdgeOne and the SSL certificate store are); O(region) is not needed.
"""
