# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Filters of the certops.cloud.rotate role: the data shaping between its steps (bind, verify, roll back, report).

Each filter takes what the role registered and returns plain data; the role's tasks only call them.  Documented in
the ``<filter>.yml`` files beside this one.
"""

from __future__ import annotations

from ansible_collections.certops.cloud.plugins.module_utils._summary import summary_covers, summary_host_name, summary_names
from ansible_collections.certops.cloud.plugins.module_utils._providers import COLLECTION, NAMES, PROVIDERS, STORE_MODULES
from ansible_collections.certops.cloud.plugins.plugin_utils._filters import aligned_lines, as_dict

SUMMARY_KEYS = ("before_id", "before_fingerprint", "before_not_after", "after_id", "after_fingerprint", "after_not_after")
FAILED_RESULTS = ("failed", "rolled back")  # the results an endpoint fails with
# What the later steps read of an endpoint's bind result (targets, verification, rollback, cleanup, report). The rest
# (C(after), CLB's C(also_changed), C(load_balancers), C(tasks)...) is left out: the set_fact that takes these results
# templates all it keeps, which at a few hundred endpoints costs more than the filter itself.
BIND_KEYS = ("changed", "failed", "msg", "summary", "server_names", "before", "certificate_id", "changed_hosts", "domains", "hosts",
             "also_changed")
# What each endpoint's own diff shows of the certificate it held and takes (rotate_host_results).
DIFF_KEYS = ("id", "fingerprint", "subject", "subject_alt_names", "not_after")


def store_failures(stores):
    """{store: message} of the store runs that failed (``stores``: the store runs' results by store)."""
    return dict((store, as_dict(result, "stores.%s" % store).get("msg") or "failed")
                for store, result in as_dict(stores, "stores").items() if as_dict(result, "stores.%s" % store).get("failed"))


def rotate_bind_results(hosts, results, stores=None):
    """{endpoint label: its result} from the bind runs: one registered result per provider, whose C(endpoints)
    follow ``hosts[provider]``.

    A provider run that did not return one result per endpoint (it failed as a whole, or was skipped) fails each of its
    endpoints with its message; a provider whose store the certificate could not be put into (``stores``: the store
    runs' results) was not run, and each of its endpoints fails saying why.
    """
    hosts, results, failed_stores = as_dict(hosts, "hosts"), as_dict(results, "results"), store_failures(stores)
    binds = {}
    for provider in NAMES:
        labels = list(hosts.get(provider) or [])
        if not labels:
            continue
        result = as_dict(results.get(provider), "results.%s" % provider)
        endpoints = result.get("endpoints")
        if PROVIDERS[provider].store in failed_stores:
            store = PROVIDERS[provider].store
            endpoints = [dict(failed=True, changed=False, msg="not bound: the certificate could not be put into the %s store: %s"
                              % (store, failed_stores[store]))] * len(labels)
        elif not isinstance(endpoints, list) or len(endpoints) != len(labels):
            msg = result.get("msg") or ("not bound (the %s step was skipped)" % provider if result.get("skipped") else "not bound")
            endpoints = [dict(failed=True, changed=False, msg=msg)] * len(labels)
        for label, endpoint in zip(labels, endpoints):
            binds[label] = dict((key, value) for key, value in as_dict(endpoint, "results.%s.endpoints" % provider).items() if key in BIND_KEYS)
    return binds


def rotate_store_runs(providers, certificate="", private_key="", private_key_passphrase=None, stored=None):
    """The runs of M(certops.cloud.concurrent_runs) that put the certificate into the stores the endpoints need, once
    each: C(ssl) (Tencent Cloud SSL) then C(gaap) (the GAAP store), each only when a provider that binds from it has
    endpoints (``providers``) and the store does not hold it already (``stored``: the certificate came from there)."""
    needed = {PROVIDERS[name].store for name in providers or [] if name in PROVIDERS} - set(stored or [])
    args = dict(certificate=certificate, private_key=private_key)
    if private_key_passphrase:
        args["private_key_passphrase"] = private_key_passphrase
    return [dict(name=store, module=COLLECTION + module, args=dict(args)) for store, module in STORE_MODULES.items() if store in needed]


def rotate_bind_runs(hosts, endpoints, ssl_id="", gaap_id="", certificate="", private_key="", batch_concurrency=4, overlap=False,
                     stores=None):
    """The runs of M(certops.cloud.concurrent_runs) that bind every endpoint, one per provider with endpoints, in
    provider order (the key of each result is its provider).

    Each run takes its provider's endpoints as its C(batch), in the order of ``hosts[provider]``, and the new
    certificate as its provider takes it: the store id, or the PEM when there is no id yet (check mode before the
    first upload) or the provider takes no store id (see the provider registry).

    With ``overlap`` (the runs go at the same time) the runs come in the order M(certops.cloud.concurrent_runs)
    should start them (it starts them in order, one module packing time apart), the longest first.
    """
    hosts, endpoints = as_dict(hosts, "hosts"), as_dict(endpoints, "endpoints")
    pem, store_ids = dict(certificate=certificate, private_key=private_key), dict(ssl=ssl_id, gaap=gaap_id)
    failed_stores = store_failures(stores)
    runs = []
    for name, provider in PROVIDERS.items():
        labels = list(hosts.get(name) or [])
        if not labels or provider.store in failed_stores:
            continue
        batch = [as_dict(as_dict(endpoints.get(label), "endpoints.%s" % label).get("entry"), "endpoints.%s.entry" % label) for label in labels]
        module, args = provider.bind_run(batch, store_ids, pem)
        runs.append(dict(name=name, module=module, args=dict(args, batch_concurrency=batch_concurrency)))
    if overlap:
        runs.sort(key=lambda run: PROVIDERS[run["name"]].start_order)
    return runs


def rotate_targets(binds, endpoints, certificate):
    """The TLS targets of the bound endpoints for M(certops.cloud.served_certificate), and the endpoints that cannot
    be checked: C({targets: [...], problems: {label: message}, names: {label: server name}, any_name: [labels]}).

    Each target expects the certificate's leaf and its chain (C(expected_chain), the SHA-256 fingerprints after the
    leaf). The server name is the endpoint's (from certificate_check: C(server_name), else a name it carries), else the
    first name its module read returned (C(server_names): TSE BindDomains, CLB rule domains), else its label (the
    inventory host name), which the certificate must cover; an endpoint that has no name of its own and serves its
    certificate to any name (a CLB listener without SNI rules) is checked with a name the certificate covers when it
    does not cover the label (C(any_name)).
    """
    binds, endpoints, certificate = as_dict(binds, "binds"), as_dict(endpoints, "endpoints"), as_dict(certificate, "certificate")
    targets, problems, names, any_name = [], {}, {}, []
    for label, bind in binds.items():
        if bind.get("failed"):
            continue
        endpoint = as_dict(endpoints.get(label), "endpoints.%s" % label)
        target = dict(as_dict(endpoint.get("target"), "endpoints.%s.target" % label), name=label)
        name = target.get("server_name") or next(iter(bind.get("server_names") or []), None)
        provider = PROVIDERS.get(endpoint.get("provider"))
        if name is None and provider is not None and provider.serves_any_name and not summary_covers(certificate, label):
            name = summary_host_name(certificate)
            any_name.append(label)
        name = name or label
        if name == label and not target.get("server_name") and not summary_covers(certificate, label):
            problems[label] = ("nothing to verify: the endpoint serves no name of its own and the certificate (names %s) "
                               "does not cover its inventory host name %s; set certops_endpoint.server_name, or rotate_verify: false"
                               % (", ".join(summary_names(certificate)), label))
            continue
        target.update(server_name=name, host=target.get("host") or name, expected_fingerprint=certificate.get("fingerprint_sha256"),
                      expected_chain=[entry.get("fingerprint_sha256") for entry in certificate.get("chain") or []])
        targets.append(target)
        names[label] = name
    return dict(targets=targets, problems=problems, names=names, any_name=any_name)


def rotate_verification(binds, served=None, problems=None):
    """C({verified: [labels], failures: {label: message}}): the endpoints whose bind failed, whose TLS check failed or
    could not run, and those the check confirmed.  ``served`` is the registered served_certificate run (skipped or
    absent when nothing was checked)."""
    binds, served, problems = as_dict(binds, "binds"), as_dict(served, "served"), as_dict(problems, "problems")
    failures = dict((label, bind.get("msg") or "failed") for label, bind in binds.items() if bind.get("failed"))
    verified = []
    ran = bool(served) and not served.get("skipped")
    checked = served.get("endpoints") or {}
    for label, bind in binds.items():
        if bind.get("failed"):
            continue
        if label in problems:
            failures[label] = problems[label]
        elif ran:
            entry = checked.get(label)
            if entry is None:
                failures[label] = served.get("msg") or "verification did not run"
            elif entry.get("error"):
                failures[label] = entry["error"]
            else:
                verified.append(label)
    return dict(verified=verified, failures=failures)


def rotate_undo(failures, binds, enabled=True):
    """The endpoints to roll back: failed after their bind changed something (none when ``enabled`` is false, e.g. in
    check mode)."""
    failures, binds = as_dict(failures, "failures"), as_dict(binds, "binds")
    if not enabled:
        return []
    return [label for label in failures if (binds.get(label) or {}).get("changed")]


def rotate_rollback_runs(undo, binds, endpoints):
    """The runs of M(certops.cloud.concurrent_runs) that put each endpoint of ``undo`` back to its C(before) binding
    with its provider's bind module, touching that endpoint only. A run is named after its endpoint (or
    C(endpoint host) when an endpoint takes one run per host); an endpoint its provider cannot roll back (ESA), or
    whose C(before) holds nothing to restore, has no run."""
    binds, endpoints = as_dict(binds, "binds"), as_dict(endpoints, "endpoints")
    runs = []
    for label in undo or []:
        described = as_dict(endpoints.get(label), "endpoints.%s" % label)
        provider = PROVIDERS.get(described.get("provider"))
        if provider is None or provider.rollback is None:
            continue
        args = provider.rollback(as_dict(described.get("entry"), "endpoints.%s.entry" % label), as_dict(binds.get(label), "binds.%s" % label))
        for one in args:
            name = label if len(args) == 1 else "%s %s" % (label, " ".join(one.get("hosts") or []))
            runs.append(dict(name=name, module=provider.bind_fqcn, args=one))
    return runs


def _rollback_results(undo, runs):
    """{label: [its rollback runs' results]} of the endpoints of ``undo`` (skipped runs left out)."""
    found = {}
    labels = sorted(undo or [], key=len, reverse=True)
    for run in runs or []:
        results = as_dict(run, "run").get("results") or []
        if isinstance(results, dict):
            named = [(next((label for label in labels if name == label or name.startswith(label + " ")), name), result)
                     for name, result in results.items()]
        else:
            named = [((result.get("item")[0]["key"] if isinstance(result.get("item"), (list, tuple)) else result.get("item")), result)
                     for result in results]
        for label, result in named:
            if not as_dict(result, "result").get("skipped"):
                found.setdefault(label, []).append(result)
    return found


def rotate_rolled_back(undo, runs):
    """The endpoints of ``undo`` that were rolled back: every rollback run for them ran and none failed. ``runs`` are
    registered results: of M(certops.cloud.concurrent_runs) (C(results) by run name, see rotate_rollback_runs), or of
    loops (C(results) a list, the loop item the endpoint label or a pair whose first element has it in C(key))."""
    found = _rollback_results(undo, runs)
    return [label for label in undo or [] if found.get(label) and not any(result.get("failed") for result in found[label])]


def rotate_rollback_errors(undo, runs):
    """C({label: message}): why the rollback of an endpoint of ``undo`` failed (its first failed run's message; a
    denied write names the action to grant), for the report."""
    found = _rollback_results(undo, runs)
    return dict((label, next(result.get("msg") or "failed" for result in found[label] if result.get("failed")))
                for label in undo or [] if any(result.get("failed") for result in found.get(label) or []))


def rotate_report(labels, endpoints, binds, failures, verified=None, rolled_back=None, certificate=None, check_mode=False,
                  store_ids=None, rollback=True, served=None, tls=None, rollback_errors=None):
    """One row per endpoint: C(endpoint), C(provider), C(result) (C(changed), C(ok), C(failed), C(rolled back)),
    C(verified), C(check_mode), C(message), what it held before and holds after - C(before_id),
    C(before_fingerprint) (leaf SHA-256), C(before_not_after), C(before_subject), C(before_subject_alt_names) and the
    same C(after_...) keys -, C(also_changed) (what else its write changed: CLB listeners outside the endpoint), the
    name its TLS check asked for (C(server_name), from ``tls``, the TLS targets) and what it served when verified
    (``served``, the registered served_certificate run): C(served_fingerprint), C(served_not_after), C(served_chain)
    (SHA-256 of each certificate after the leaf), C(chain_matched)."""
    endpoints, binds, failures = as_dict(endpoints, "endpoints"), as_dict(binds, "binds"), as_dict(failures, "failures")
    certificate, store_ids, tls = as_dict(certificate, "certificate"), as_dict(store_ids, "store_ids"), as_dict(tls, "tls")
    rollback_errors = as_dict(rollback_errors, "rollback_errors")
    checked = as_dict(as_dict(served, "served").get("endpoints"), "served.endpoints")
    verified, rolled_back, any_name = set(verified or []), set(rolled_back or []), set(tls.get("any_name") or [])
    rows = []
    for label in labels or []:
        provider = as_dict(endpoints.get(label), "endpoints.%s" % label).get("provider")
        bind = binds.get(label) or dict(failed=True, changed=False, msg="not bound")
        row = dict.fromkeys(SUMMARY_KEYS + ("before_subject", "before_subject_alt_names"))
        row.update((key, value) for key, value in (bind.get("summary") or {}).items() if key in row)
        failed = label in failures
        if failed:
            result = "rolled back" if label in rolled_back else "failed"
            cannot = (PROVIDERS[provider].no_rollback if provider in PROVIDERS else "") if bind.get("changed") and rollback else ""
            message = failures[label] + (" (%s)" % cannot if cannot else "")
            if label in rollback_errors:
                message += "; the rollback failed too: %s" % rollback_errors[label]
        else:
            result, message = ("changed" if bind.get("changed") else "ok"), ""
            if label in any_name:
                message = "checked as %s: it has no name of its own and serves any name" % tls["names"][label]
        if result in ("changed", "ok"):
            row.update(after_fingerprint=certificate.get("fingerprint_sha256"), after_not_after=certificate.get("not_after"),
                       after_subject=certificate.get("subject"), after_subject_alt_names=certificate.get("subject_alt_names"))
            row["after_id"] = row["after_id"] or (store_ids.get(PROVIDERS[provider].store) if provider in PROVIDERS else None) or None
        else:
            row.update(after_subject=None, after_subject_alt_names=None)
            if result == "rolled back" or not bind.get("changed"):
                row.update((key.replace("before_", "after_"), row[key]) for key in list(row) if key.startswith("before_"))
        row.update(endpoint=label, provider=provider, check_mode=bool(check_mode), verified=label in verified, result=result,
                   message=message, server_name=(tls.get("names") or {}).get(label),
                   also_changed=[changed_name(b) for b in bind.get("also_changed") or []] if result != "ok" else [])
        row.update(_served_fields(checked.get(label)))
        rows.append(row)
    return rows


def changed_name(binding):
    """A listener or rule outside an endpoint that its write changed too, as text (C(lb-1 listener lbl-2 domain d))."""
    binding = as_dict(binding, "binding")
    return " ".join("%s %s" % (what, binding[key]) if what else str(binding[key])
                    for what, key in (("", "load_balancer_id"), ("listener", "listener_id"), ("domain", "domain")) if binding.get(key))


def _served_fields(entry):
    """The report's view of one served_certificate result (all null when the endpoint was not checked)."""
    entry = entry or {}
    chain = entry.get("chain")
    return dict(served_fingerprint=entry.get("fingerprint_sha256"), served_not_after=(entry.get("certificate") or {}).get("not_after"),
                served_chain=[link.get("fingerprint_sha256") for link in chain] if chain is not None else None,
                chain_matched=entry.get("chain_matches"))


def rotate_source(issued):
    """What the role reports of a certificate read from the SSL service (``issued``: the registered
    M(certops.cloud.tencentcloud_ssl_issued_certificate) result, of which the key is left out): C(certificate_id),
    C(stored) (the stores that hold it already: C([ssl])), C(renewals) (the ids followed) and C(line) (where the
    renewal links led, for the report)."""
    issued = as_dict(issued, "issued")
    path = [as_dict(step, "issued.renewals") for step in issued.get("renewals") or []]
    chosen = issued.get("certificate_id")
    steps = ["%s%s" % (step.get("certificate_id"), " (%s)" % step["link"] if step.get("link") else "") for step in path]
    line = "certificate from the Tencent Cloud SSL service: %s" % " -> ".join(steps)
    if len(path) > 1 or (path and path[0].get("certificate_id") != chosen):
        line += "; rotating to %s" % chosen
    chosen_ids = [step.get("certificate_id") for step in path]
    later = path[chosen_ids.index(chosen) + 1:] if chosen in chosen_ids else []
    if later:
        line += " (not issued yet: %s)" % ", ".join("%s status %s" % (step.get("certificate_id"), step.get("status")) for step in later)
    if path and path[-1].get("missing_renewal"):
        line += " (renewal %s of %s is not in the SSL service)" % (path[-1]["missing_renewal"], path[-1].get("certificate_id"))
    return dict(certificate_id=chosen, stored=["ssl"], renewals=[step.get("certificate_id") for step in path], line=line)


def rotate_cleanup_candidates(binds, endpoints, store_ids=None, stores=None, keep=None):
    """C({ssl: [ids], gaap: [ids], regions: [...], endpoints: [...]}) - the store certificates this run's endpoints held
    before and the extra copies of the new certificate (``stores``: the store runs' results, whose C(copies) list the
    one every run takes first), other than the new one and the SSL store ids of ``keep`` (the renewal path of a
    certificate the SSL service issued: the same job follows it next quarter); the regions of those endpoints and the
    C(certops_endpoint) of each one that changed (whose previous certificate is about to be unused in check mode)."""
    binds, endpoints, store_ids = as_dict(binds, "binds"), as_dict(endpoints, "endpoints"), as_dict(store_ids, "store_ids")
    stores = as_dict(stores, "stores")
    found = dict((store, set((as_dict(stores.get(store), "stores.%s" % store).get("copies") or [])[1:])) for store in STORE_MODULES)
    regions, changed = set(), []
    for label, bind in binds.items():
        described = as_dict(endpoints.get(label), "endpoints.%s" % label)
        provider = PROVIDERS.get(described.get("provider"))
        if provider is None:
            continue
        before = bind.get("before") or {}
        if provider.store in found:
            found[provider.store].update(provider.held(before))
        entry = described.get("entry") or {}
        if provider.regional and provider.cloud == "tencentcloud":  # the regions the usage query lists
            regions.update([entry["region"]] if entry.get("region") else [])
            regions.update(entry.get("regions") or [])
        if bind.get("changed"):
            changed.append(dict(entry, provider=provider.name))
    for store in found:
        found[store] -= {None, "", store_ids.get(store)}
    found["ssl"] -= set(keep or [])
    return dict(ssl=sorted(found["ssl"]), gaap=sorted(found["gaap"]), regions=sorted(regions), endpoints=changed)


def rotate_cleanup_results(usage, runs, check_mode=False):
    """One row per previous certificate - C(store), C(certificate_id), C(result) (V(deleted), V(would delete),
    V(kept)) and C(reason) - from the usage query and the registered delete loops (C({ssl: run, gaap: run}))."""
    usage, runs = as_dict(usage, "usage"), as_dict(runs, "runs")
    rows = []
    if usage.get("failed"):
        return [dict(store="-", certificate_id="-", result="kept", reason="nothing deleted: %s" % (usage.get("msg") or "the usage query failed"))]
    for store, found in sorted((usage.get("usage") or {}).items()):
        for certificate_id, users in sorted(found.items()):
            if users:
                rows.append(dict(store=store, certificate_id=certificate_id, result="kept", reason="still bound to %s" % ", ".join(users)))
    for store, run in sorted(runs.items()):
        for result in as_dict(run, "runs.%s" % store).get("results") or []:
            if result.get("skipped"):
                continue
            if result.get("failed"):
                rows.append(dict(store=store, certificate_id=result.get("item"), result="kept", reason=result.get("msg") or "not deleted"))
            else:
                rows.append(dict(store=store, certificate_id=result.get("item"), result="would delete" if check_mode else "deleted",
                                 reason=""))
    return rows


def rotate_cleanup_line(row):
    """One cleanup row as text: C(deleted ssl OLD1), C(kept gaap cert-x: still bound to ...)."""
    row = as_dict(row, "row")
    text = "%s %s %s" % (row.get("result"), row.get("store"), row.get("certificate_id"))
    return text + (": %s" % row["reason"] if row.get("reason") else "")


def _short(row, side):
    value = row.get("%s_fingerprint" % side) or row.get("%s_id" % side) or "-"
    return str(value)[:16]


def rotate_store_lines(stores, check_mode=False):
    """What the run did in the certificate stores (``stores``: the store runs' results by store), a line each:
    C(ssl store: uploaded ABC), C(gaap store: found cert-x), C(ssl store: would upload), with the extra copies
    removed."""
    lines = []
    for store, result in sorted(as_dict(stores, "stores").items()):
        result = as_dict(result, "stores.%s" % store)
        if result.get("failed"):
            lines.append("%s store: failed: %s" % (store, result.get("msg") or "failed"))
            continue
        done = ("would upload" if check_mode else "uploaded") if result.get("changed") and not result.get("removed_copies") else "found"
        line = ("%s store: %s %s" % (store, done, result.get("certificate_id") or "")).rstrip()
        if result.get("removed_copies"):
            line += " (removed this run's extra copy %s)" % ", ".join(result["removed_copies"])
        lines.append(line)
    return lines


def rotate_report_lines(rows):
    """The report as aligned lines (a header, then one line per endpoint) for one debug message."""
    table = [("endpoint", "provider", "result", "before", "expires", "after", "expires", "served", "chain", "message")]
    for row in rows or []:
        result = "would change" if row.get("result") == "changed" and row.get("check_mode") else row.get("result")
        chain = {True: "ok", False: "wrong"}.get(row.get("chain_matched"), "-")
        table.append((row.get("endpoint") or "-", row.get("provider") or "-", result or "-", _short(row, "before"),
                      (row.get("before_not_after") or "-")[:10], _short(row, "after"), (row.get("after_not_after") or "-")[:10],
                      str(row.get("served_fingerprint") or "-")[:16], chain, row.get("message") or ""))
    return aligned_lines(table)


def rotate_host_results(rows):
    """Each endpoint's result for its own task (M(certops.cloud.host_result)): C({endpoint: {changed, failed, msg,
    diff}}). The line is C(endpoint: result), C(would change) in check mode, then C(: message) when there is one; an
    endpoint that changes (or would) has its own diff: the certificate's id, leaf fingerprint, subject, names and
    expiry before and after, and what else its write changes."""
    outcomes = {}
    for row in rows or []:
        label, result = row.get("endpoint"), row.get("result")
        shown = "would change" if result == "changed" and row.get("check_mode") else result
        outcome = dict(changed=result == "changed", failed=result in FAILED_RESULTS,
                       msg="%s: %s%s" % (label, shown, (": " + row["message"]) if row.get("message") else ""))
        if result == "changed":
            before, after = ({key: row["%s_%s" % (side, key)] for key in DIFF_KEYS if row.get("%s_%s" % (side, key)) is not None}
                             for side in ("before", "after"))  # what a read did not return (ESA's subject) is left out
            if row.get("also_changed"):
                after["also_changed"] = list(row["also_changed"])
            outcome["diff"] = dict(before=before, after=after, before_header=label, after_header=label)
        outcomes[label] = outcome
    return outcomes


class FilterModule:
    """The rotate role's filters."""

    def filters(self):
        return dict(
            rotate_bind_results=rotate_bind_results,
            rotate_bind_runs=rotate_bind_runs,
            rotate_store_runs=rotate_store_runs,
            rotate_targets=rotate_targets,
            rotate_verification=rotate_verification,
            rotate_undo=rotate_undo,
            rotate_rollback_runs=rotate_rollback_runs,
            rotate_rolled_back=rotate_rolled_back,
            rotate_rollback_errors=rotate_rollback_errors,
            rotate_report=rotate_report,
            rotate_report_lines=rotate_report_lines,
            rotate_store_lines=rotate_store_lines,
            rotate_host_results=rotate_host_results,
            rotate_cleanup_candidates=rotate_cleanup_candidates,
            rotate_source=rotate_source,
            rotate_cleanup_results=rotate_cleanup_results,
            rotate_cleanup_line=rotate_cleanup_line,
        )
