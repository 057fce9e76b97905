"""The HTTP server: faults, authentication, contract check, dispatch, log.

The core serves one :class:`~.personality.Personality` (a marketplace: its
routes, contracts, authentication and error bodies).  One request goes
through, in order:

1. the control API (``/_emulator/...``: the core's, then the personality's)
   is dispatched at once: no faults, no latency, no log;
2. for the marketplace's paths, a configured fault may answer instead
   (400/429/500/503, with the personality's error body), slow the call down
   or drop the connection, and ``latency_ms`` is slept;
3. the operation is looked up in the personality's contracts (a path under
   a contract's base path that matches no operation is answered 404 and
   recorded as a violation; so is a path under the personality's
   ``api_roots`` that no contract covers);
4. the personality authenticates the caller for the route's ``auth`` and
   the operation (its own error answer if it refuses);
5. the request is checked against the contract (400 and a recorded violation);
6. only then the handler runs; an operation without one answers 501;
7. the answer (the handler's, a fault's or an authentication refusal) is
   checked against the operation's declared answers and any mismatch is
   recorded as a violation too (``contracts.ContractBook.check_response``).

Endpoints with no machine-readable contract may be checked by the
personality's ``extra_contracts`` (steps 5 and 7).  Without contracts (only
when asked for) steps 3, 5 and 7 are skipped and ``/_emulator/health`` says
``"checked": false``.

Every marketplace call is appended to the call log with secrets redacted
(the personality's ``redacted_keys`` and ``redacted_headers``; the
Authorization header always).
Logging shows the method, path and status only: never a query string, body
or token.
"""

import json
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .control import CONTROL, CONTROL_PREFIX
from .routes import Headers, Request

_logger = logging.getLogger("emulator")

MAX_BODY = 64 * 1024 * 1024


class EmulatorServer(ThreadingHTTPServer):
    """A threaded HTTP/1.1 server of one personality and its state."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # benchmarks open many connections at once

    def __init__(self, address, personality, state):
        handler = type(
            "Handler", (Handler,), {"server_version": personality.server_version}
        )
        super().__init__(address, handler)
        self.personality = personality
        self.state = state

    def handle_error(self, request, client_address):
        """A client that hangs up mid-answer is routine, not a traceback."""
        _logger.debug("connection from %s ended abruptly", client_address[0])


class EmulatorHandle:
    """A running in-process emulator: ``url``, ``state`` and ``stop()``."""

    def __init__(self, server, thread):
        self.server = server
        self.thread = thread
        self.host, self.port = server.server_address[:2]
        self.url = f"http://{self.host}:{self.port}"
        self.state = server.state

    def stop(self):
        """Stop serving and close the listening socket."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()


def serve_in_thread(server, name="emulator"):
    """Serve ``server`` in a background (daemon) thread; its handle."""
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    return EmulatorHandle(server, thread)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so Content-Length is always sent
    server_version = "Emulator/1.0"  # the personality's (EmulatorServer)
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
        try:
            self._serve()
        finally:
            # Any request may have changed the state: a state file saves it.
            self.server.state.changed.set()

    def _serve(self):
        state = self.server.state
        personality = self.server.personality
        split = urlsplit(self.path)
        path = split.path
        query = {
            k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()
        }
        raw = self._read_body()
        if raw is None:
            return
        headers = Headers(self.headers.items())
        request_id = personality.request_id_for(headers)
        req = Request(self.command, path, query, headers, raw, state)
        req.request_id = request_id
        host, port = self.server.server_address[:2]
        req.base_url = f"http://{host}:{port}"
        _parse_body(req)
        if path.startswith(CONTROL_PREFIX):
            status, body, extra = self._run(req)
            self._send(status, body, extra, request_id, req=req)
            return

        started = time.monotonic()
        entry = {
            "method": self.command,
            "path": path,
            "query": query,
            "headers": _redact_headers(headers, personality.redacted_headers),
            "body": _log_body(req, personality.redacted_keys),
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
            body = personality.fault_body(status, path, fault.get("message"))
            extra = {}
            if fault.get("retry_after") is not None:
                extra["Retry-After"] = str(int(fault["retry_after"]))
            entry.update(status=status, duration_ms=_ms_since(started))
            state.record_call(entry)
            req.operation = self._operation_of(req)
            self._check_answer(req, status, body)
            self._send(status, body, extra, request_id, api=True, req=req)
            return
        status, body, extra = self._dispatch(req)
        entry.update(status=status, duration_ms=_ms_since(started))
        state.record_call(entry)
        self._check_answer(req, status, body)
        self._send(status, body, extra, request_id, api=True, req=req)

    def _operation_of(self, req):
        """The contract operation of a marketplace call, or None."""
        book = req.state.contracts
        if book is None or not book.covers(req.path):
            return None
        return book.find(req.method, req.path)[0]

    def _check_answer(self, req, status, body):
        """Step 7: record how the answer breaks the contract, if it does."""
        book = req.state.contracts
        if book is None or req.refused_request:
            return  # unchecked, or already recorded as the request's violation
        extra = self._extra_contract(req.path)
        if extra is not None:
            reasons = extra.check_answer(req, status, body)
        elif req.operation is not None:
            reasons = book.check_response(req.operation, status, body)
        else:
            return
        if reasons:
            self._violation(req, "; ".join(reasons), req.operation, side="answer")

    def _extra_contract(self, path):
        """The personality's own check of a path without an API contract."""
        if self.server.state.contracts is None:
            return None
        for extra in self.server.personality.extra_contracts:
            if extra.covers(path):
                return extra
        return None

    def _dispatch(self, req):
        """Steps 3 to 6 of the module docstring, for one marketplace call."""
        state = req.state
        personality = self.server.personality
        router = personality.router
        name = personality.name
        path = req.path
        book = state.contracts
        handler, auth, params = router.resolve(req.method, path)
        operation = None
        extra = self._extra_contract(path)
        if extra is not None:
            reasons = extra.check_request(req)
            if reasons:
                # The handler still answers, as the marketplace would.
                self._violation(req, "; ".join(reasons))
                req.refused_request = True
            if handler is None:
                return 404, personality.not_found(path), {}
        elif book is not None and book.covers(path):
            operation, contract_params = book.find(req.method, path)
            if operation is None:
                self._violation(req, f"no such operation in {name}'s contract")
                req.refused_request = True
                return 404, personality.not_found(path), {}
            req.operation = operation
            # The handler of exactly this operation: the contract, not the
            # emulator's own routing, decides which operation a path is.
            handler, auth, params = router.resolve_operation(
                req.method, operation.full_template, path
            )
            params = params if handler else contract_params
        elif handler is None:
            if book is not None and path.startswith(tuple(personality.api_roots)):
                self._violation(req, f"no {name} contract covers this path")
            return 404, personality.not_found(path), {}
        if handler is None:
            # An operation the emulator has no handler for: any caller the
            # personality accepts gets the 501.
            auth = personality.unhandled_auth
        if auth is not None:
            problem = personality.authenticate(req, auth, operation)
            if problem:
                return problem
        if operation is not None:
            reasons = book.check(
                operation, req.query, req.headers, req.raw_body, parsed=req.json
            )
            if reasons:
                self._violation(req, "; ".join(reasons), operation)
                req.refused_request = True
                return 400, personality.contract_violation(path, reasons), {}
        if handler is None:
            _logger.warning("no emulator handler for %s", operation.operation_id)
            return 501, personality.not_implemented(path, operation.operation_id), {}
        req.params = params or {}
        return self._run(req, handler)

    def _run(self, req, handler=None):
        if handler is None:
            # The control API: the core's endpoints, then the personality's.
            for router in (CONTROL, self.server.personality.router):
                handler, _auth, params = router.resolve(req.method, req.path)
                if handler is not None:
                    break
            else:
                return 404, {"error": f"no control endpoint {req.path}"}, {}
            req.params = params
        try:
            return handler(req)
        except Exception:  # an emulator bug must not look like a 200
            _logger.exception("emulator handler failed for %s %s", req.method, req.path)
            if not req.path.startswith(CONTROL_PREFIX):
                # The marketplace may answer 500, but this one is the
                # emulator's bug: no test may pass over it as an outage.
                self._violation(
                    req, "the emulator's handler failed", req.operation, "answer"
                )
            return 500, self.server.personality.system_error(req.path), {}

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
            self._send(400, {"error": "bad Content-Length"}, {}, self._unread_id())
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
                self._send(400, {"error": "bad chunked body"}, {}, self._unread_id())
                return None
            if size == 0:
                while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline(3)  # the CRLF after each chunk

    def _unread_id(self):
        """The request id of a request refused before it was read."""
        return self.server.personality.request_id_for(Headers(self.headers.items()))

    def _send(self, status, body, extra, request_id, api=False, req=None):
        if isinstance(body, str):
            payload = body.encode()
            content_type = "text/html; charset=utf-8"
        elif body is None:
            payload = b""
            # Some marketplaces send a content type even on empty answers.
            empty_type = self.server.personality.empty_answer_content_type
            content_type = empty_type if api and status != 302 else None
        elif isinstance(body, bytes):
            # A document (a gzip report, an S3-style XML error): sent as is,
            # with the Content-Type its handler gives (none when it gives none).
            extra = dict(extra or {})
            payload = body
            content_type = next(
                (extra.pop(k) for k in list(extra) if k.lower() == "content-type"),
                None,
            )
        else:
            payload = json.dumps(body).encode()
            content_type = "application/json"
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        id_header = self.server.personality.request_id_header
        if request_id and id_header:
            self.send_header(id_header, request_id)
        personality = self.server.personality
        for key, value in personality.answer_headers_for(req, status).items():
            self.send_header(key, value)
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
        req.form = parse_form(req.raw_body)
    elif req.raw_body and "multipart/" not in content_type:
        try:
            req.json = json.loads(req.raw_body)
        except ValueError:
            req.json = None


def parse_form(raw):
    """A form body as a dict of first values."""
    text = raw.decode("utf-8", "replace")
    return {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}


def _ms_since(started):
    return round((time.monotonic() - started) * 1000, 3)


def _redact_headers(headers, redacted=frozenset()):
    """``headers`` without Authorization's value nor those of ``redacted``
    (lower-case names: the personality's own token headers)."""
    return {
        key: (
            "<redacted>"
            if key.lower() == "authorization" or key.lower() in redacted
            else value
        )
        for key, value in headers.items()
    }


def _log_body(req, redacted_keys):
    """The body for the call log: as parsed, with secrets replaced."""
    if not req.raw_body:
        return None
    if req.form is not None:
        return _redact(req.form, redacted_keys)
    if req.json is not None:
        return _redact(req.json, redacted_keys)
    content_type = req.headers.get("Content-Type", "")
    if "multipart/" in content_type:
        return f"<{len(req.raw_body)} bytes of {content_type.split(';')[0]}>"
    return "<not json>"


def _redact(value, keys):
    if isinstance(value, dict):
        return {
            k: ("<redacted>" if k in keys else _redact(v, keys))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_redact(v, keys) for v in value]
    return value
