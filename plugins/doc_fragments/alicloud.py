# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """Connection options shared by every Alibaba Cloud module."""

    DOCUMENTATION = r"""
options:
  access_key_id:
    description:
      - Alibaba Cloud AccessKey ID.
      - If not set, E(ALIBABA_CLOUD_ACCESS_KEY_ID) or E(ALICLOUD_ACCESS_KEY) is used.
      - When neither O(access_key_id) nor O(access_key_secret) is set, the default credential chain of
        C(alibabacloud-credentials) is used (environment, the C(~/.alibabacloud/credentials) or
        C(~/.aliyun/config.json) profile, an ECS RAM role, OIDC).
    type: str
  access_key_secret:
    description:
      - Alibaba Cloud AccessKey secret.
      - If not set, E(ALIBABA_CLOUD_ACCESS_KEY_SECRET) or E(ALICLOUD_SECRET_KEY) is used.
    type: str
  security_token:
    description:
      - Security token of temporary (STS) credentials.
      - If not set, E(ALIBABA_CLOUD_SECURITY_TOKEN) or E(ALICLOUD_SECURITY_TOKEN) is used.
    type: str
  region:
    description:
      - Alibaba Cloud region, for example V(cn-hangzhou) or V(ap-southeast-1).
      - If not set, E(ALIBABA_CLOUD_REGION_ID) or E(ALICLOUD_REGION) is used, else V(cn-hangzhou).
    type: str
  endpoint:
    description:
      - The API endpoint - the address of the Alibaba Cloud ESA API that every call of the module goes to - as a host
        name (HTTPS) or an V(https://) or V(http://) URL, for example a test sandbox.
      - Not to be confused with the endpoints this collection binds certificates to (ESA site certificates and the
        others).
      - If not set, E(ALIBABA_CLOUD_ESA_ENDPOINT) is used, else C(esa.<region>.aliyuncs.com).
    type: str
  api_timeout:
    description:
      - Timeout in seconds of one API request.
    type: int
    default: 30
  api_retries:
    description:
      - How many times a call is retried after throttling, a transient server error or a network error,
        with exponential backoff and jitter (the SDK runtime's retry options).
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
    description: Use C(group/certops.cloud.alicloud) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - certops.cloud.alicloud
requirements:
  - alibabacloud-esa20240910
  - alibabacloud-credentials
notes:
  - Every call is signed by the Alibaba Cloud SDK (ACS3-HMAC-SHA256).
  - "All options can be set for a whole play with C(module_defaults) and the group
    C(group/certops.cloud.alicloud)."
"""
