"""The control API: tests and benchmarks steer the emulator here."""

import datetime
import re

from .routes import route

VALID_FAULTS = {"429", "500", "503", "slow", "drop"}


@route("GET", "/_emulator/health", auth=None)
def health(req):
    book = req.state.contracts
    return 200, {"ok": True, "contracts": len(book.operations) if book else 0}, {}


@route("POST", "/_emulator/reset", auth=None)
def reset(req):
    req.state.reset()
    return 200, {"ok": True}, {}


@route("POST", "/_emulator/apps", auth=None)
def register_app(req):
    app = req.json or {}
    missing = [
        k
        for k in ("client_id", "client_secret", "ru_name", "accept_url")
        if not app.get(k)
    ]
    if missing:
        return 400, {"error": f"missing {', '.join(missing)}"}, {}
    req.state.register_app(app)
    return 200, {"ok": True}, {}


@route("POST", "/_emulator/config", auth=None)
def config(req):
    values = req.json or {}
    unknown = set(values) - set(req.state.config)
    if unknown:
        return 400, {"error": f"unknown settings {sorted(unknown)}"}, {}
    with req.state.lock:
        req.state.config.update(values)
        return 200, dict(req.state.config), {}


@route("POST", "/_emulator/faults", auth=None)
def add_fault(req):
    fault = req.json or {}
    if fault.get("kind") not in VALID_FAULTS or not fault.get("path"):
        return 400, {"error": f"need path and kind in {sorted(VALID_FAULTS)}"}, {}
    try:
        re.compile(fault["path"])
    except re.error as exc:
        return 400, {"error": f"bad path regex: {exc}"}, {}
    fault.setdefault("times", 1)
    with req.state.lock:
        req.state.faults.append(fault)
    return 200, {"ok": True}, {}


@route("DELETE", "/_emulator/faults", auth=None)
def clear_faults(req):
    with req.state.lock:
        req.state.faults = []
    return 200, {"ok": True}, {}


@route("POST", "/_emulator/clock/advance", auth=None)
def advance(req):
    with req.state.lock:
        req.state.clock_offset += float((req.json or {}).get("seconds", 0))
    return clock(req)


@route("GET", "/_emulator/clock", auth=None)
def clock(req):
    now = datetime.datetime.fromtimestamp(req.state.now(), datetime.timezone.utc)
    return 200, {"now": now.isoformat(), "offset": req.state.clock_offset}, {}


@route("POST", "/_emulator/tokens/revoke", auth=None)
def revoke(req):
    which = req.json or {}
    state = req.state
    count = 0
    with state.lock:
        for token, info in state.refresh_tokens.items():
            if which.get("refresh_token") and token != which["refresh_token"]:
                continue
            if which.get("user") and info.get("user") != which["user"]:
                continue
            info["revoked"] = True
            count += 1
            for access in state.access_tokens.values():
                if access["refresh"] == token:
                    access["expires"] = 0
    return 200, {"revoked": count}, {}


@route("GET", "/_emulator/calls", auth=None)
def calls(req):
    with req.state.lock:
        found = list(req.state.calls)
    if req.query.get("path"):
        found = [c for c in found if re.search(req.query["path"], c["path"])]
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
