# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Filters of the certops.cloud.audit role: which endpoints to read and check, each endpoint's state, the report,
its lines and its Prometheus metrics.

Each filter takes what the role registered and returns plain data; the role's tasks only call them. Documented in
the ``<filter>.yml`` files beside this one.
"""

from __future__ import annotations

import datetime

from ansible_collections.certops.cloud.plugins.module_utils._summary import days_left, parse_time, summary_covers, summary_host_name, summary_names
from ansible_collections.certops.cloud.plugins.module_utils._providers import NAMES, PROVIDERS, describe_endpoint, endpoint_problem
from ansible_collections.certops.cloud.plugins.plugin_utils._filters import aligned_lines, as_dict

# Every state an endpoint can be in, in the order the report's summary counts them; those that fail the endpoint.
STATES = ("ok", "expiring", "expiring_soon", "expired", "drift", "chain", "unreachable", "error")
FAILED_STATES = ("expiring_soon", "expired", "drift", "chain", "unreachable", "error")
HELD_KEYS = ("id", "fingerprint", "not_after", "subject", "subject_alt_names")


def _now(now):
    if now is None:
        return datetime.datetime.now(datetime.timezone.utc)
    if isinstance(now, (int, float)):
        return datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
    return now


def audit_endpoints(settings, verify_host=None, verify_port=443):
    """C({endpoints: {label: described}, problems: {label: message}, providers: {provider: [labels]}}) of the
    C(certops_endpoint) of each endpoint label (``settings``): what the endpoints that are configured right need (see
    M(certops.cloud.certificate_check)'s C(endpoints); the server name is left empty unless the endpoint names it,
    see audit_targets), and what is wrong with the others."""
    endpoints, problems = {}, {}
    for label, one in as_dict(settings, "settings").items():
        problem = endpoint_problem(one)
        if problem:
            problems[label] = problem
        else:
            endpoints[label] = describe_endpoint(label, one, False, verify_host or None, int(verify_port or 443))
    providers = dict((name, [label for label, e in endpoints.items() if e["provider"] == name]) for name in NAMES)
    # The provider each endpoint names, misconfigured ones included (the report's and the metrics' label).
    named = dict((label, str(one.get("provider") or "") if isinstance(one, dict) else "") for label, one in as_dict(settings, "settings").items())
    return dict(endpoints=endpoints, problems=problems, providers=providers, named=named)


def audit_read_runs(checked, batch_concurrency=4):
    """The runs of M(certops.cloud.concurrent_runs) that read what every endpoint holds: one per provider with
    endpoints, its endpoint module with C(read_only) and the provider's endpoints as its C(batch)."""
    checked = as_dict(checked, "checked")
    endpoints, providers = as_dict(checked.get("endpoints"), "checked.endpoints"), as_dict(checked.get("providers"), "checked.providers")
    runs = []
    for name, provider in PROVIDERS.items():
        labels = list(providers.get(name) or [])
        if labels:
            module, args = provider.read_run([endpoints[label]["entry"] for label in labels])
            runs.append(dict(name=name, module=module, args=dict(args, batch_concurrency=int(batch_concurrency))))
    return runs


def audit_held(checked, results):
    """C({label: {failed, msg, id, fingerprint, not_after, subject, subject_alt_names, server_names}}): what each
    endpoint holds, from the read runs' results (by provider; each has one C(endpoints) entry per endpoint in the
    order of C(checked.providers)). A run that returned no such list fails each of its endpoints with its message."""
    checked, results = as_dict(checked, "checked"), as_dict(results, "results")
    providers = as_dict(checked.get("providers"), "checked.providers")
    held = {}
    for name in NAMES:
        labels = list(providers.get(name) or [])
        if not labels:
            continue
        result = as_dict(results.get(name), "results.%s" % name)
        entries = result.get("endpoints")
        if not isinstance(entries, list) or len(entries) != len(labels):
            entries = [dict(failed=True, msg=result.get("msg") or "not read")] * len(labels)
        for label, entry in zip(labels, entries):
            entry = as_dict(entry, "results.%s.endpoints" % name)
            summary = entry.get("summary") or {}
            one = dict((key, summary.get("before_" + key)) for key in HELD_KEYS)
            one.update(failed=bool(entry.get("failed")), msg=entry.get("msg") or "", server_names=list(entry.get("server_names") or []))
            held[label] = one
    return held


def _held_summary(one):
    return dict(subject_alt_names=one.get("subject_alt_names") or [], fingerprint_sha256=one.get("fingerprint"))


def audit_targets(held, checked):
    """C({targets: [...], problems: {label: message}, names: {label: server name}}): the TLS targets of the endpoints
    that were read (for M(certops.cloud.served_certificate), no expected certificate: the audit compares), and those
    that cannot be checked.

    The server name is the endpoint's own, else the first name its read returned (TSE C(BindDomains), CLB rule
    domains), else - for an endpoint that serves any name (a CLB listener without SNI) - a name its certificate
    covers, else its label, which its certificate must then cover."""
    held, checked = as_dict(held, "held"), as_dict(checked, "checked")
    targets, problems, names = [], {}, {}
    for label, endpoint in as_dict(checked.get("endpoints"), "checked.endpoints").items():
        one = as_dict(held.get(label), "held.%s" % label)
        if not one or one.get("failed"):
            continue
        target = dict(as_dict(endpoint.get("target"), "endpoints.%s.target" % label), name=label)
        summary = _held_summary(one)
        name = target.get("server_name") or next(iter(one.get("server_names") or []), None)
        if name is None and PROVIDERS[endpoint["provider"]].serves_any_name and not summary_covers(summary, label):
            name = summary_host_name(summary)
        if name is None and not summary_covers(summary, label):
            problems[label] = ("nothing to check over TLS: the endpoint serves no name of its own and its certificate (names %s) "
                               "does not cover its inventory host name %s; set certops_endpoint.server_name, or audit_verify: false"
                               % (", ".join(summary_names(summary)) or "unknown", label))
            continue
        name = name or label
        target.update(server_name=name, host=target.get("host") or name)
        targets.append(target)
        names[label] = name
    return dict(targets=targets, problems=problems, names=names)


def _short(value):
    return str(value)[:16] if value else "-"


def _expiry(days, not_after, warn_days, fail_days):
    """(state, message) of a certificate's expiry."""
    date = (not_after or "")[:10]
    if days is None:
        return "ok", "expiry unknown"
    if days < 0:
        return "expired", "expired %d day%s ago (%s)" % (-days, "" if days == -1 else "s", date)
    if days < fail_days:
        return "expiring_soon", "expires in %d day%s (%s), within audit_fail_days %d" % (days, "" if days == 1 else "s", date, fail_days)
    if days < warn_days:
        return "expiring", "expires in %d day%s (%s), within audit_warn_days %d" % (days, "" if days == 1 else "s", date, warn_days)
    return "ok", "expires in %d days (%s)" % (days, date)


def _row_state(row, entry, verify, warn_days, fail_days, now):
    """Fill in what the TLS check found and the endpoint's state and message."""
    if verify:
        certificate = entry.get("certificate") or {}
        chain = entry.get("chain")
        row.update(served_fingerprint=entry.get("fingerprint_sha256"), served_not_after=certificate.get("not_after"),
                   served_subject=certificate.get("subject"),
                   served_chain=[link.get("fingerprint_sha256") for link in chain] if chain is not None else None)
        if not row["served_fingerprint"]:
            row.update(state="unreachable", message=entry.get("error") or "no TLS answer")
            return
        chain_ok = entry.get("chain_matches") is not False and entry.get("chain_valid") is not False
        row["chain_valid"] = chain_ok if (entry.get("chain_matches") is not None or entry.get("chain_valid") is not None) else None
        if row["held_fingerprint"]:
            row["served_matches"] = row["served_fingerprint"] == row["held_fingerprint"]
        if row["served_matches"] is False:
            row.update(state="drift", message="serves %s (%s, expires %s), not the certificate it holds, %s %s" % (
                _short(row["served_fingerprint"]), row["served_subject"] or "?", (row["served_not_after"] or "?")[:10],
                row["held_id"] or "-", _short(row["held_fingerprint"])))
            return
        not_after = row["served_not_after"]
    else:
        chain_ok, not_after = True, row["held_not_after"]
    row["days_left"] = days_left({"not_after": not_after}, now)
    state, message = _expiry(row["days_left"], not_after, warn_days, fail_days)
    if state != "expired" and not chain_ok:
        state, message = "chain", "%s; %s" % (entry.get("error") or "the served chain is wrong", message)
    row.update(state=state, message=message)


def audit_report(labels, checked, held, served=None, tls=None, verify=True, warn_days=30, fail_days=7, now=None):
    """One row per endpoint (in ``labels`` order): C(endpoint), C(provider), C(state) (one of V(ok), V(expiring),
    V(expiring_soon), V(expired), V(drift), V(chain), V(unreachable), V(error)), C(failed), C(message), what it holds -
    C(held_id), C(held_fingerprint), C(held_not_after), C(held_subject), C(held_subject_alt_names) -, the name checked
    over TLS (C(server_name)) and what was served - C(served_fingerprint), C(served_not_after), C(served_subject),
    C(served_chain) -, C(served_matches) and C(chain_valid) (null when not checked), C(days_left) and C(verified)."""
    checked, held, tls = as_dict(checked, "checked"), as_dict(held, "held"), as_dict(tls, "tls")
    checked_over_tls = as_dict(as_dict(served, "served").get("endpoints"), "served.endpoints")
    problems, tls_problems = as_dict(checked.get("problems"), "checked.problems"), as_dict(tls.get("problems"), "tls.problems")
    endpoints, now = as_dict(checked.get("endpoints"), "checked.endpoints"), _now(now)
    rows = []
    for label in labels or []:
        one = as_dict(held.get(label), "held.%s" % label)
        provider = (endpoints.get(label) or {}).get("provider") or as_dict(checked.get("named"), "checked.named").get(label) or None
        row = dict(endpoint=label, provider=provider, state=None, message="",
                   server_name=as_dict(tls.get("names"), "tls.names").get(label), served_fingerprint=None, served_not_after=None,
                   served_subject=None, served_chain=None, served_matches=None, chain_valid=None, days_left=None,
                   verified=bool(verify) and label in checked_over_tls)
        row.update(("held_" + key, one.get(key)) for key in HELD_KEYS)
        if label in problems:
            row.update(state="error", message=problems[label])
        elif not one or one.get("failed"):
            row.update(state="error", message=one.get("msg") or "not read")
        elif label in tls_problems:
            row.update(state="error", message=tls_problems[label])
        elif verify and label not in checked_over_tls:
            row.update(state="error", message="the TLS check did not run: %s" % (as_dict(served, "served").get("msg") or "no result"))
        else:
            _row_state(row, checked_over_tls.get(label) or {}, bool(verify), int(warn_days), int(fail_days), now)
        row["failed"] = row["state"] in FAILED_STATES
        rows.append(row)
    return rows


def audit_host_results(rows):
    """Each endpoint's result for its own task (M(certops.cloud.host_result)): C({endpoint: {changed, failed, msg,
    warning}}); an expiring endpoint passes with a warning."""
    outcomes = {}
    for row in rows or []:
        label, state = row.get("endpoint"), row.get("state")
        outcome = dict(changed=False, failed=state in FAILED_STATES,
                       msg="%s: %s%s" % (label, state, (": " + row["message"]) if row.get("message") else ""))
        if state == "expiring":
            outcome["warning"] = "%s: %s" % (label, row.get("message"))
        outcomes[label] = outcome
    return outcomes


def audit_summary(rows):
    """C({state: count}) over every state (zeros included), and C(endpoints), C(failed)."""
    counts = dict.fromkeys(STATES, 0)
    for row in rows or []:
        counts[row.get("state")] = counts.get(row.get("state"), 0) + 1
    return dict(counts, endpoints=len(rows or []), failed=sum(1 for row in rows or [] if row.get("state") in FAILED_STATES))


def audit_report_lines(rows):
    """The report as aligned lines (a header, one line per endpoint, then the count of each state) for one debug
    message."""
    table = [("endpoint", "provider", "state", "holds", "serves", "expires", "days", "chain", "message")]
    for row in rows or []:
        chain = {True: "ok", False: "wrong"}.get(row.get("chain_valid"), "-")
        expires = row.get("served_not_after") if row.get("verified") and row.get("served_not_after") else row.get("held_not_after")
        days = row.get("days_left")
        table.append((row.get("endpoint") or "-", row.get("provider") or "-", row.get("state") or "-", _short(row.get("held_fingerprint")),
                      _short(row.get("served_fingerprint")), (expires or "-")[:10], "-" if days is None else str(days), chain,
                      row.get("message") or ""))
    lines = aligned_lines(table)
    counts = audit_summary(rows)
    total = counts["endpoints"]
    lines.append("%s endpoint%s: %s" % (total, "" if total == 1 else "s", ", ".join("%s %s" % (state, counts[state]) for state in STATES if counts[state])))
    return lines


def _label_value(value):
    return str("" if value is None else value).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _sample(name, labels, value):
    text = ",".join('%s="%s"' % (key, _label_value(val)) for key, val in labels)
    return "%s{%s} %s" % (name, text, value)


METRICS = (
    ("certops_certificate_not_after_seconds", "gauge",
     "Expiry (Unix time) of the certificate the endpoint serves (the one it holds when not checked over TLS)."),
    ("certops_certificate_served_matches", "gauge", "1 when the endpoint serves the certificate it holds, 0 when not (drift)."),
    ("certops_certificate_chain_valid", "gauge",
     "1 when the served chain is complete, in order, holds nothing unrelated (and validates to audit_ca_path), else 0."),
    ("certops_audit_endpoint_state", "gauge", "1 for the endpoint's audit state, 0 for the other states."),
    ("certops_audit_last_run_timestamp_seconds", "gauge", "When the audit that wrote this file ran (Unix time)."),
)


def audit_metrics(rows, now=None):
    """The report in the Prometheus text exposition format (version 0.0.4, as the node_exporter textfile collector
    reads it). An endpoint's samples have the labels C(endpoint), C(provider), C(server_name) (and, on its expiry,
    C(fingerprint_sha256)); its state samples C(endpoint), C(provider) and C(state), every state for every endpoint
    (1 for its own, 0 for the others), so their label sets stay the same from run to run whatever the state. An
    endpoint not checked over TLS has no served or chain sample."""
    samples = dict((name, []) for name, dummy, dummy in METRICS)
    for row in rows or []:
        base = [("endpoint", row.get("endpoint")), ("provider", row.get("provider")), ("server_name", row.get("server_name") or "")]
        verified = bool(row.get("verified")) and bool(row.get("served_fingerprint"))
        fingerprint, not_after = ((row.get("served_fingerprint"), row.get("served_not_after")) if verified
                                  else (row.get("held_fingerprint"), row.get("held_not_after")))
        end = parse_time(not_after)
        if end is not None:
            samples["certops_certificate_not_after_seconds"].append(
                _sample("certops_certificate_not_after_seconds", base + [("fingerprint_sha256", fingerprint or "")], "%d" % end.timestamp()))
        if verified and row.get("served_matches") is not None:
            samples["certops_certificate_served_matches"].append(
                _sample("certops_certificate_served_matches", base, 1 if row["served_matches"] else 0))
        if verified and row.get("chain_valid") is not None:
            samples["certops_certificate_chain_valid"].append(_sample("certops_certificate_chain_valid", base, 1 if row["chain_valid"] else 0))
        for state in STATES:  # labels that do not depend on what a read or a TLS check found: the same every night
            samples["certops_audit_endpoint_state"].append(_sample(
                "certops_audit_endpoint_state", base[:2] + [("state", state)], 1 if row.get("state") == state else 0))
    samples["certops_audit_last_run_timestamp_seconds"].append("certops_audit_last_run_timestamp_seconds %d" % _now(now).timestamp())
    lines = []
    for name, kind, text in METRICS:
        lines += ["# HELP %s %s" % (name, text), "# TYPE %s %s" % (name, kind)] + samples[name]
    return "\n".join(lines) + "\n"


class FilterModule:
    """The audit role's filters."""

    def filters(self):
        return dict(
            audit_endpoints=audit_endpoints,
            audit_read_runs=audit_read_runs,
            audit_held=audit_held,
            audit_targets=audit_targets,
            audit_report=audit_report,
            audit_host_results=audit_host_results,
            audit_summary=audit_summary,
            audit_report_lines=audit_report_lines,
            audit_metrics=audit_metrics,
        )
