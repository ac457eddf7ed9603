# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The diff, notes and see-also entries of the CLB module (kept here so that the module stays short)."""

    DOCUMENTATION = r"""
options: {}
attributes:
  diff_mode:
    details:
      - The ids, the listeners and rules with their TLS settings, every load balancer the write changes, the listeners
        outside the endpoint it changes too, and the summaries of the old and new certificates.
notes:
  - C(ReplaceCertForLoadBalancers) can only be called in V(ap-guangzhou) and changes the load balancers of every
    region, so it is sent (and its task polled) there whatever O(region) is. List every region where the certificate
    may be used in O(regions) to see them all.
seealso:
  - module: certops.cloud.tencentcloud_clb_certificate_info
    description: Which load balancers and listeners use a certificate, before a replacement.
  - module: certops.cloud.tencentcloud_ssl_certificate
    description: Stores the new certificate once and returns the id that O(certificate_id) takes.
  - name: ReplaceCertForLoadBalancers (Tencent Cloud API)
    link: https://www.tencentcloud.com/document/api/214/33799
    description: The replacement of a certificate on every load balancer of every region that holds it.
  - name: DescribeLoadBalancerListByCertId (Tencent Cloud API)
    link: https://www.tencentcloud.com/document/api/214/33800
    description: The load balancers of a region that use a certificate, read before a replacement.
"""
