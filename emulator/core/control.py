"""The core's control API under ``/_emulator/``: tests and benchmarks steer
the emulator here.  JSON in and out; never faulted, delayed or logged as
calls.  A personality adds its own endpoints (its ``control.py``).

==========================================  ==========================================
``GET /_emulator/health``                   ``{"ok": true, "checked": bool,
                                            "contracts": <operations>}``
``POST /_emulator/reset``                   forget everything (the state's ``reset``)
``POST /_emulator/config``                  ``{latency_ms?}`` and the personality's
                                            settings (``state.DEFAULT_CONFIG``)
``GET|POST|DELETE /_emulator/faults``       ``{path (regex, searched), method?, kind:
                                            "400"|"429"|"500"|"503"|"slow"|
                                            "drop", times? (1; -1 = until
                                            cleared), skip? (0: matching
                                            requests let through first),
                                            retry_after?, delay?, message?
                                            (the marketplace's error text,
                                            400/5xx; its body is the
                                            personality's),
                                            rate? (0-1: the share of
                                            matching requests hit, drawn
                                            from seed?), applied? (drop
                                            only: the request is applied,
                                            then the answer is lost)}``
``GET /_emulator/clock``                    ``{"now": iso, "offset": seconds}``
``POST /_emulator/clock/advance``           ``{seconds}``
``GET|DELETE /_emulator/calls``             ``?path=regex&method=GET``
``GET|DELETE /_emulator/violations``
==========================================  ==========================================
"""

import datetime
import re

from .routes import Router

CONTROL_PREFIX = "/_emulator/"
# The core's control endpoints; a personality adds its own under the same
# prefix on its router.
CONTROL = Router()
route = CONTROL.route

FAULT_KINDS = {"400", "429", "500", "503", "slow", "drop"}


def bad_request(message):
    """A 400 answer of the control API."""
    return 400, {"error": message}, {}


def _number(value, minimum=0):
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and value >= minimum
    )


@route("GET", "/_emulator/health", auth=None)
def health(req):
    book = req.state.contracts
    return (
        200,
        {
            "ok": True,
            # False only when started with --no-contracts: nothing is checked,
            # so a "no violations" assertion proves nothing (tests refuse it).
            "checked": book is not None,
            "contracts": len(book.operations) if book else 0,
        },
        {},
    )


@route("POST", "/_emulator/reset", auth=None)
def reset(req):
    req.state.reset()
    return 200, {"ok": True}, {}


@route("POST", "/_emulator/config", auth=None)
def config(req):
    values = req.json if isinstance(req.json, dict) else {}
    unknown = set(values) - set(req.state.DEFAULT_CONFIG)
    if unknown:
        return bad_request(f"unknown settings {sorted(unknown)}")
    for key, value in values.items():
        if key in req.state.STRING_CONFIG:
            if value is not None and not isinstance(value, str):
                return bad_request(f"{key} must be a string or null")
            continue
        if not _number(value, req.state.CONFIG_MINIMUM.get(key, 1)):
            return bad_request(f"{key} must be a number")
    with req.state.lock:
        req.state.config.update(values)
        return 200, dict(req.state.config), {}


@route("POST", "/_emulator/faults", auth=None)
def add_fault(req):
    fault = dict(req.json) if isinstance(req.json, dict) else {}
    fault["kind"] = str(fault.get("kind", ""))
    if fault["kind"] not in FAULT_KINDS or not isinstance(fault.get("path"), str):
        return bad_request(f"need a path regex and a kind in {sorted(FAULT_KINDS)}")
    try:
        re.compile(fault["path"])
    except re.error as exc:
        return bad_request(f"bad path regex: {exc}")
    fault.setdefault("times", 1)
    if not isinstance(fault["times"], int) or fault["times"] == 0:
        return bad_request("times must be a positive integer or -1")
    if fault["times"] < -1:
        return bad_request("times must be a positive integer or -1")
    fault.setdefault("skip", 0)
    if not isinstance(fault["skip"], int) or fault["skip"] < 0:
        return bad_request("skip must be a non-negative integer")
    for key in ("retry_after", "delay"):
        if key in fault and not _number(fault[key]):
            return bad_request(f"{key} must be a number of seconds")
    if "message" in fault and not isinstance(fault["message"], str):
        return bad_request("message must be a string")
    if "rate" in fault and not (_number(fault["rate"]) and 0 < fault["rate"] <= 1):
        return bad_request("rate must be a number above 0 and at most 1")
    if "seed" in fault and not isinstance(fault["seed"], int | str):
        return bad_request("seed must be an integer or a string")
    if "applied" in fault and (
        not isinstance(fault["applied"], bool) or fault["kind"] != "drop"
    ):
        return bad_request("applied is a boolean, for drop faults only")
    if fault.get("method"):
        fault["method"] = str(fault["method"]).upper()
    return 200, {"ok": True, "fault": req.state.add_fault(fault)}, {}


@route("GET", "/_emulator/faults", auth=None)
def list_faults(req):
    faults = req.state.list_faults()
    return 200, {"count": len(faults), "faults": faults}, {}


@route("DELETE", "/_emulator/faults", auth=None)
def clear_faults(req):
    with req.state.lock:
        req.state.faults = []
    return 200, {"ok": True}, {}


@route("POST", "/_emulator/clock/advance", auth=None)
def advance(req):
    seconds = (req.json or {}).get("seconds", 0) if isinstance(req.json, dict) else 0
    if not _number(seconds, float("-inf")):
        return bad_request("seconds must be a number")
    with req.state.lock:
        req.state.clock_offset += float(seconds)
    return clock(req)


@route("GET", "/_emulator/clock", auth=None)
def clock(req):
    now = datetime.datetime.fromtimestamp(req.state.now(), datetime.timezone.utc)
    return 200, {"now": now.isoformat(), "offset": req.state.clock_offset}, {}


@route("GET", "/_emulator/calls", auth=None)
def calls(req):
    with req.state.lock:
        found = list(req.state.calls)
    try:
        if req.query.get("path"):
            pattern = re.compile(req.query["path"])
            found = [c for c in found if pattern.search(c["path"])]
    except re.error as exc:
        return bad_request(f"bad path regex: {exc}")
    if req.query.get("method"):
        found = [c for c in found if c["method"] == req.query["method"].upper()]
    return 200, {"count": len(found), "calls": found}, {}


@route("DELETE", "/_emulator/calls", auth=None)
def clear_calls(req):
    with req.state.lock:
        req.state.calls = []
    return 200, {"ok": True}, {}


@route("GET", "/_emulator/violations", auth=None)
def violations(req):
    with req.state.lock:
        found = list(req.state.violations)
    return 200, {"count": len(found), "violations": found}, {}


@route("DELETE", "/_emulator/violations", auth=None)
def clear_violations(req):
    with req.state.lock:
        req.state.violations = []
    return 200, {"ok": True}, {}
