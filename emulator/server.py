"""The HTTP server: faults, authentication, contract check, dispatch, log."""

import json
import logging
import socket
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import (  # noqa: F401  (importing registers the routes)
    account_api,
    control,
    errors,
    fulfillment_api,
    group_api,
    identity,
    inventory_api,
    media_api,
    migrate_api,
    notification_api,
    oauth,
    taxonomy_api,
)
from .routes import Request, resolve

_logger = logging.getLogger("emulator")

REDACTED_FORM_KEYS = {"client_secret", "refresh_token", "code", "access_token"}
CONTROL_PREFIX = "/_emulator/"
UNCHECKED_PATHS = ("/oauth2/authorize", "/identity/v1/oauth2/token")


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, state):
        super().__init__(address, Handler)
        self.state = state


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "eBayEmulator/1.0"

    def log_message(self, fmt, *args):  # request lines only, never bodies
        _logger.debug("%s %s", self.address_string(), fmt % args)

    def do_GET(self):
        self._handle()

    def do_POST(self):
        self._handle()

    def do_PUT(self):
        self._handle()

    def do_DELETE(self):
        self._handle()

    # -- pipeline ----------------------------------------------------------------
    def _handle(self):
        state = self.server.state
        split = urlsplit(self.path)
        path = split.path
        query = {
            k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()
        }
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {k: v for k, v in self.headers.items()}
        request_id = headers.get("X-EBAY-C-REQUEST-ID") or ""
        req = Request(self.command, path, query, headers, raw, state)
        host, port = self.server.server_address[:2]
        req.base_url = f"http://{host}:{port}"
        is_control = path.startswith(CONTROL_PREFIX)
        entry = {
            "method": self.command,
            "path": path,
            "query": query,
            "headers": _redact_headers(headers),
            "body": None,
            "status": 0,
            "request_id": request_id,
            "at": state.now(),
        }
        if not is_control:
            entry["body"] = _redacted_body(raw, headers)
            fault = state.take_fault(self.command, path)
            latency = state.config.get("latency_ms") or 0
            if latency:
                time.sleep(latency / 1000.0)
            if fault:
                if fault["kind"] == "slow":
                    time.sleep(float(fault.get("delay", 1)))
                elif fault["kind"] == "drop":
                    state.record_call(entry)
                    self._drop()
                    return
                else:
                    status = int(fault["kind"])
                    body = (
                        errors.too_many_requests()
                        if status == 429
                        else errors.system_error(path)
                    )
                    extra = {}
                    if fault.get("retry_after") is not None:
                        extra["Retry-After"] = str(int(fault["retry_after"]))
                    entry["status"] = status
                    state.record_call(entry)
                    self._send(status, body, extra, request_id)
                    return
        status, body, extra = self._dispatch(req, request_id)
        if not is_control:
            entry["status"] = status
            state.record_call(entry)
        self._send(status, body, extra, request_id)

    def _dispatch(self, req, request_id):
        state = req.state
        path = req.path
        content_type = req.headers.get("Content-Type", "")
        if content_type.startswith("application/x-www-form-urlencoded"):
            req.form = oauth.parse_form(req.raw_body)
        elif req.raw_body:
            try:
                req.json = json.loads(req.raw_body)
            except ValueError:
                req.json = None
        book = state.contracts
        checked = (
            book is not None
            and not path.startswith(CONTROL_PREFIX)
            and not path.startswith(UNCHECKED_PATHS)
            and book.covers(path)
        )
        operation = None
        if checked:
            operation, _params = book.find(req.method, path)
            if operation is None:
                self._violation(req, request_id, "no such operation in the contract")
                return 404, errors.not_found(path), {}
        handler, auth, params = resolve(req.method, path)
        if auth in ("user", "app", "any"):
            problem = self._authenticate(req, auth, operation)
            if problem:
                return problem
        if operation is not None:
            reasons = book.check(operation, req.query, req.headers, req.raw_body)
            if reasons:
                self._violation(req, request_id, "; ".join(reasons), operation)
                return 400, errors.invalid_request(path, "; ".join(reasons[:3])), {}
        if handler is None:
            return 404, errors.not_found(path), {}
        req.params = params
        try:
            return handler(req)
        except Exception:  # an emulator bug must not look like eBay's 200
            _logger.exception("emulator handler failed for %s %s", req.method, path)
            return 500, errors.system_error(path), {}

    def _authenticate(self, req, auth, operation):
        state = req.state
        header = req.headers.get("Authorization", "")
        token = header[7:] if header.startswith("Bearer ") else ""
        with state.lock:
            info = state.access_tokens.get(token)
            valid = info is not None and info["expires"] > state.now()
        if not valid:
            return 401, errors.invalid_token(), {}
        if auth == "user" and info["kind"] != "user":
            return 401, errors.invalid_token(), {}
        if auth == "app" and info["kind"] != "app":
            return 401, errors.invalid_token(), {}
        if (
            operation is not None
            and operation.scopes
            and not (operation.scopes & info["scopes"])
        ):
            return 403, errors.insufficient_scope(), {}
        req.token = info
        return None

    def _violation(self, req, request_id, reason, operation=None):
        self.server.state.record_violation(
            {
                "method": req.method,
                "path": req.path,
                "operation": operation.operation_id if operation else None,
                "reason": reason,
                "request_id": request_id,
            }
        )
        _logger.warning("contract violation: %s %s: %s", req.method, req.path, reason)

    # -- output ------------------------------------------------------------------
    def _send(self, status, body, extra, request_id):
        if isinstance(body, str):
            payload = body.encode()
            content_type = "text/html; charset=utf-8"
        elif body is None:
            payload = b""
            content_type = None
        else:
            payload = json.dumps(body).encode()
            content_type = "application/json"
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        if request_id:
            self.send_header("X-EBAY-C-REQUEST-ID", request_id)
        self.send_header("rlogid", f"emulator-{uuid.uuid4().hex[:16]}")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if payload and self.command != "HEAD":
            self.wfile.write(payload)

    def _drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _redact_headers(headers):
    redacted = dict(headers)
    for key in list(redacted):
        if key.lower() == "authorization":
            redacted[key] = "<redacted>"
    return redacted


def _redacted_body(raw, headers):
    if not raw:
        return None
    content_type = headers.get("Content-Type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        form = oauth.parse_form(raw)
        return {
            k: ("<redacted>" if k in REDACTED_FORM_KEYS else v) for k, v in form.items()
        }
    try:
        return json.loads(raw)
    except ValueError:
        return "<not json>"
