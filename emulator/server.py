"""The HTTP server: faults, authentication, contract check, dispatch, log.

One request goes through, in order:

1. the control API (``/_emulator/...``) is dispatched at once: no faults, no
   latency, no log;
2. for eBay paths, a configured fault may answer instead (429/500/503), slow
   the call down or drop the connection, and ``latency_ms`` is slept;
3. the operation is looked up in eBay's contracts (a path under a known API
   base path that matches no operation is answered 404 and recorded as a
   violation);
4. the bearer token is checked (401 code 1001) and, against the operation's
   ``security`` scopes, its scopes (403 code 1100);
5. the request is checked against the contract (400 and a recorded violation);
6. only then the handler runs; an operation without one answers 501;
7. the answer (the handler's, a fault's or an authentication refusal) is
   checked against the operation's declared answers and any mismatch is
   recorded as a violation too (``contracts.ContractBook.check_response``).

The OAuth consent page and token endpoint have no OpenAPI contract: steps 5
and 7 use the form eBay documents for them instead (``oauth_contract.py``).
Without contracts (only with ``--no-contracts``) steps 3, 5 and 7 are
skipped and ``/_emulator/health`` says ``"checked": false``.

Every eBay call is appended to the call log with secrets redacted.  Logging
shows the method, path and status only: never a query string, body or token.
"""

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
    oauth_contract,
    taxonomy_api,
)
from .routes import Headers, Request, resolve, resolve_operation

_logger = logging.getLogger("emulator")

# Keys whose values never reach the call log (form and JSON bodies).
REDACTED_KEYS = {
    "client_secret",
    "refresh_token",
    "access_token",
    "code",
    "verificationToken",
}
CONTROL_PREFIX = "/_emulator/"
# A path under these that no contract covers and no handler serves is a call
# to an eBay API the contracts do not know: a violation, not just a 404.
EBAY_API_ROOTS = ("/sell/", "/commerce/", "/buy/", "/developer/", "/post-order/")
MAX_BODY = 64 * 1024 * 1024


class EmulatorServer(ThreadingHTTPServer):
    """A threaded HTTP/1.1 server holding the emulator's :class:`State`."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # benchmarks open many connections at once

    def __init__(self, address, state):
        super().__init__(address, Handler)
        self.state = state

    def handle_error(self, request, client_address):
        """A client that hangs up mid-answer is routine, not a traceback."""
        _logger.debug("connection from %s ended abruptly", client_address[0])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so Content-Length is always sent
    server_version = "eBayEmulator/1.0"
    # TCP_NODELAY: the body, written after the headers, must not wait for the
    # client's delayed ACK of them (Nagle's algorithm): that costs ~40 ms a call.
    disable_nagle_algorithm = True

    def do_GET(self):
        self._handle()

    def do_POST(self):
        self._handle()

    def do_PUT(self):
        self._handle()

    def do_DELETE(self):
        self._handle()

    def do_PATCH(self):
        self._handle()

    # -- logging: request lines only -------------------------------------------
    def log_request(self, code="-", size="-"):
        path = urlsplit(self.path).path if hasattr(self, "path") else "?"
        _logger.info("%s %s %s", getattr(self, "command", "?"), path, code)

    def log_error(self, format, *args):
        # The base class passes the raw request line, query string included.
        code = args[0] if format.startswith("code %d") and args else "?"
        _logger.info("malformed request from %s (%s)", self.client_address[0], code)

    def log_message(self, format, *args):
        _logger.debug("%s", format % args)

    # -- pipeline ----------------------------------------------------------------
    def _handle(self):
        state = self.server.state
        split = urlsplit(self.path)
        path = split.path
        query = {
            k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()
        }
        raw = self._read_body()
        if raw is None:
            return
        headers = Headers(self.headers.items())
        request_id = headers.get("X-EBAY-C-REQUEST-ID") or ""
        req = Request(self.command, path, query, headers, raw, state)
        req.request_id = request_id
        host, port = self.server.server_address[:2]
        req.base_url = f"http://{host}:{port}"
        _parse_body(req)
        if path.startswith(CONTROL_PREFIX):
            status, body, extra = self._run(req)
            self._send(status, body, extra, request_id)
            return

        started = time.monotonic()
        entry = {
            "method": self.command,
            "path": path,
            "query": query,
            "headers": _redact_headers(headers),
            "body": _log_body(req),
            "status": 0,
            "request_id": request_id,
            "at": state.now(),
        }
        fault = state.take_fault(self.command, path)
        latency = state.config.get("latency_ms") or 0
        if latency:
            time.sleep(latency / 1000.0)
        if fault and fault["kind"] == "slow":
            time.sleep(float(fault.get("delay", 1)))
        elif fault and fault["kind"] == "drop":
            if fault.get("applied"):
                # The write lands, then the answer is lost: to the client an
                # outcome it cannot know.
                status, _body, _extra = self._dispatch(req)
                entry["applied_status"] = status
            entry["duration_ms"] = _ms_since(started)
            state.record_call(entry)
            _logger.info("%s %s dropped (fault)", self.command, path)
            self._drop()
            return
        elif fault:
            status = int(fault["kind"])
            if status == 429:
                body = errors.too_many_requests()
            elif status == 400:
                body = errors.user_error(path, fault.get("message"))
            else:
                body = errors.system_error(path, fault.get("message"))
            extra = {}
            if fault.get("retry_after") is not None:
                extra["Retry-After"] = str(int(fault["retry_after"]))
            entry.update(status=status, duration_ms=_ms_since(started))
            state.record_call(entry)
            req.operation = self._operation_of(req)
            self._check_answer(req, status, body)
            self._send(status, body, extra, request_id, api=True)
            return
        status, body, extra = self._dispatch(req)
        entry.update(status=status, duration_ms=_ms_since(started))
        state.record_call(entry)
        self._check_answer(req, status, body)
        self._send(status, body, extra, request_id, api=True)

    def _operation_of(self, req):
        """The contract operation of an eBay call, or None."""
        book = req.state.contracts
        if book is None or not book.covers(req.path):
            return None
        return book.find(req.method, req.path)[0]

    def _check_answer(self, req, status, body):
        """Step 7: record how the answer breaks the contract, if it does."""
        book = req.state.contracts
        if book is None or req.refused_request:
            return  # unchecked, or already recorded as the request's violation
        if oauth_contract.covers(req.path):
            reasons = oauth_contract.check_answer(req, status, body)
        elif req.operation is not None:
            reasons = book.check_response(req.operation, status, body)
        else:
            return
        if reasons:
            self._violation(req, "; ".join(reasons), req.operation, side="answer")

    def _dispatch(self, req):
        """Steps 3 to 6 of the module docstring, for one eBay call."""
        state = req.state
        path = req.path
        book = state.contracts
        handler, auth, params = resolve(req.method, path)
        operation = None
        if book is not None and oauth_contract.covers(path):
            reasons = oauth_contract.check_request(req)
            if reasons:
                # eBay answers these with its OAuth error (the handler's).
                self._violation(req, "; ".join(reasons))
                req.refused_request = True
            if handler is None:
                return 404, errors.not_found(path), {}
        elif book is not None and book.covers(path):
            operation, contract_params = book.find(req.method, path)
            if operation is None:
                self._violation(req, "no such operation in eBay's contract")
                req.refused_request = True
                return 404, errors.not_found(path), {}
            req.operation = operation
            # The handler of exactly this operation: the contract, not the
            # emulator's own routing, decides which operation a path is.
            handler, auth, params = resolve_operation(
                req.method, operation.full_template, path
            )
            params = params if handler else contract_params
        elif handler is None:
            if book is not None and path.startswith(EBAY_API_ROOTS):
                self._violation(req, "no eBay contract covers this path")
            return 404, errors.not_found(path), {}
        if handler is None:
            auth = "any"  # an eBay operation the emulator has no handler for
        if auth is not None:
            problem = self._authenticate(req, auth, operation)
            if problem:
                return problem
        if operation is not None:
            reasons = book.check(
                operation, req.query, req.headers, req.raw_body, parsed=req.json
            )
            if reasons:
                self._violation(req, "; ".join(reasons), operation)
                req.refused_request = True
                return 400, errors.contract_violation(path, reasons), {}
        if handler is None:
            _logger.warning("no emulator handler for %s", operation.operation_id)
            return 501, errors.not_implemented(path, operation.operation_id), {}
        req.params = params or {}
        return self._run(req, handler)

    def _run(self, req, handler=None):
        if handler is None:
            handler, _auth, params = resolve(req.method, req.path)
            if handler is None:
                return 404, {"error": f"no control endpoint {req.path}"}, {}
            req.params = params
        try:
            return handler(req)
        except Exception:  # an emulator bug must not look like eBay's 200
            _logger.exception("emulator handler failed for %s %s", req.method, req.path)
            if not req.path.startswith(CONTROL_PREFIX):
                # eBay may answer 500, but this one is the emulator's bug: no
                # test may pass over it as a transient outage.
                self._violation(
                    req, "the emulator's handler failed", req.operation, "answer"
                )
            return 500, errors.system_error(req.path), {}

    def _authenticate(self, req, auth, operation):
        """None if the bearer token may call this; else the error answer."""
        state = req.state
        scheme, _sep, token = req.headers.get("Authorization", "").partition(" ")
        token = token.strip() if scheme.lower() == "bearer" else ""
        with state.lock:
            info = state.access_tokens.get(token) if token else None
            valid = info is not None and info["expires"] > state.now()
            info = dict(info, scopes=set(info["scopes"])) if valid else None
        if not valid:
            return 401, errors.invalid_token(), {}
        if auth in ("user", "app") and info["kind"] != auth:
            return 401, errors.invalid_token(), {}
        scopes = operation.scopes if operation is not None else None
        if scopes and not scopes & info["scopes"]:
            return 403, errors.insufficient_scope(), {}
        req.token = info
        return None

    def _violation(self, req, reason, operation=None, side="request"):
        """Record a mismatch; ``side`` says whose: the caller's request or
        the emulator's own answer."""
        self.server.state.record_violation(
            {
                "side": side,
                "method": req.method,
                "path": req.path,
                "operation": operation.operation_id if operation else None,
                "reason": reason,
                "request_id": req.request_id,
                "at": req.state.now(),
            }
        )
        # The reason may quote body values: the control API has it, not the log.
        _logger.warning(
            "contract violation (%s): %s %s (%s)",
            side,
            req.method,
            req.path,
            operation.operation_id if operation else "unknown operation",
        )

    # -- input / output -----------------------------------------------------------
    def _read_body(self):
        """The request body (b"" if none), or None after answering 400."""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._read_chunked()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            self._send(400, {"error": "bad Content-Length"}, {}, "")
            return None
        return self.rfile.read(length) if length else b""

    def _read_chunked(self):
        chunks = []
        while True:
            line = self.rfile.readline(65537)
            try:
                size = int(line.split(b";")[0].strip() or b"x", 16)
            except ValueError:
                self.close_connection = True
                self._send(400, {"error": "bad chunked body"}, {}, "")
                return None
            if size == 0:
                while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline(3)  # the CRLF after each chunk

    def _send(self, status, body, extra, request_id, api=False):
        if isinstance(body, str):
            payload = body.encode()
            content_type = "text/html; charset=utf-8"
        elif body is None:
            payload = b""
            # eBay sends its JSON content type even on empty answers (204).
            content_type = "application/json" if api and status != 302 else None
        else:
            payload = json.dumps(body).encode()
            content_type = "application/json"
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        if request_id:
            self.send_header("X-EBAY-C-REQUEST-ID", request_id)
        self.send_header("rlogid", f"t6emulator%3C{uuid.uuid4().hex[:20]}")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if payload:
            self.wfile.write(payload)

    def _drop(self):
        """Close the socket without a byte of answer (a lost connection)."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _parse_body(req):
    """Decode a form or JSON body once, for the check and the handler."""
    content_type = req.headers.get("Content-Type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        req.form = oauth.parse_form(req.raw_body)
    elif req.raw_body and "multipart/" not in content_type:
        try:
            req.json = json.loads(req.raw_body)
        except ValueError:
            req.json = None


def _ms_since(started):
    return round((time.monotonic() - started) * 1000, 3)


def _redact_headers(headers):
    return {
        key: ("<redacted>" if key.lower() == "authorization" else value)
        for key, value in headers.items()
    }


def _log_body(req):
    """The body for the call log: as parsed, with secrets replaced."""
    if not req.raw_body:
        return None
    if req.form is not None:
        return _redact(req.form)
    if req.json is not None:
        return _redact(req.json)
    content_type = req.headers.get("Content-Type", "")
    if "multipart/" in content_type:
        return f"<{len(req.raw_body)} bytes of {content_type.split(';')[0]}>"
    return "<not json>"


def _redact(value):
    if isinstance(value, dict):
        return {
            k: ("<redacted>" if k in REDACTED_KEYS else _redact(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_redact(v) for v in value]
    return value
