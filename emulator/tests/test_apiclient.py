"""apiclient, the channels' shared HTTP door, against a real loopback server.

No channel here: a plain ``http.server`` in a thread answers, stalls, drops
the connection or rate-limits, and the tests check what the door makes of
it (errors, correlation ids, one report per call, no secret in a report).
Last, the import rule: apiclient imports neither odoo nor a channel, and
ebay does not import odoo.
"""

import ast
import email.utils
import json
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from marketplace_connector import apiclient
from marketplace_connector.apiclient import (
    ApiError,
    CallReporter,
    CallTimeout,
    Transport,
    TransportError,
    UnknownOutcome,
    new_call,
    parse_retry_after,
)

REPO_DIR = Path(__file__).resolve().parents[2]
STALL_SECONDS = 1.5
CLIENT_TIMEOUT = 0.3
SECRET = "s3cr3t-token-value"


class Handler(BaseHTTPRequestHandler):
    """``/echo`` answers, ``/stall`` answers too late, ``/drop`` closes the
    connection without an answer, ``/limited?...`` answers 429 with the
    Retry-After the query names."""

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.server.received.append(
            (self.command, self.path, {k.lower(): v for k, v in self.headers.items()})
        )
        path = self.path.split("?", 1)[0]
        if path == "/drop":
            self.close_connection = True
            return
        if path == "/stall":
            time.sleep(STALL_SECONDS)
        status, headers = 200, {}
        if path == "/limited":
            status = 429
            headers["Retry-After"] = self.server.retry_after
        body = json.dumps({"ok": status == 200}).encode()
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _handle

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.received = []
    httpd.retry_after = "0"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def base(server):
    server.received.clear()
    return server.url


@pytest.fixture
def transport():
    session = requests.Session()
    yield Transport(session, timeout=CLIENT_TIMEOUT, service="the test server")
    session.close()


def received_ids(server, header="x-request-id"):
    return [headers.get(header) for _method, _path, headers in server.received]


def test_correlation_id_is_sent_and_the_call_filled(server, base, transport):
    call = new_call("GET", f"{base}/echo?sku=A1", operation="echo")
    response = transport.send(call)
    assert response.json() == {"ok": True}
    assert received_ids(server) == [call["request_id"]]
    assert call["request_id"]
    assert (call["status"], call["attempt"], call["path"]) == (200, 1, "/echo")
    assert isinstance(call["duration_ms"], int)
    # Each call has its own id.
    assert new_call("GET", base)["request_id"] != call["request_id"]


class ChannelError(ApiError):
    """What a channel's own error classes look like to the transport."""


class ChannelUnknown(ChannelError, UnknownOutcome):
    pass


class ChannelTransport(Transport):
    correlation_header = "X-Channel-Request-Id"
    unknown_outcome_error = ChannelUnknown


def test_a_channel_names_its_header_and_its_errors(server, base):
    channel = ChannelTransport(timeout=CLIENT_TIMEOUT, service="Channel")
    call = new_call("POST", f"{base}/stall")
    with pytest.raises(ChannelUnknown) as caught:
        channel.send(call, json={"quantity": 3})
    assert isinstance(caught.value, UnknownOutcome)
    assert str(caught.value) == "Channel did not answer in time"
    assert received_ids(server, "x-channel-request-id") == [call["request_id"]]
    assert received_ids(server) == [None]


def test_a_write_that_times_out_has_an_unknown_outcome(server, base, transport):
    call = new_call("POST", f"{base}/stall")
    with pytest.raises(UnknownOutcome) as caught:
        transport.send(call, json={"price": "9.99"})
    err = caught.value
    # The write reached the server: only its answer is missing.
    assert received_ids(server) == [call["request_id"]]
    assert err.request_id == call["request_id"]
    assert (err.status, err.retryable, call["status"], call["attempt"]) == (
        0,
        True,
        0,
        1,
    )
    assert isinstance(err, TransportError)
    assert not isinstance(err, CallTimeout)
    assert "did not answer in time" in err.user_message


def test_a_dropped_write_has_an_unknown_outcome(server, base, transport):
    call = new_call("PUT", f"{base}/drop")
    with pytest.raises(UnknownOutcome) as caught:
        transport.send(call, json={"quantity": 1})
    assert caught.value.request_id == received_ids(server)[0] == call["request_id"]
    assert "connection failed" in str(caught.value)


def test_a_read_that_times_out_is_a_timeout(server, base, transport):
    call = new_call("GET", f"{base}/stall")
    with pytest.raises(CallTimeout) as caught:
        transport.send(call)
    assert not isinstance(caught.value, UnknownOutcome)
    assert caught.value.request_id == call["request_id"]
    # A POST that only reads says so, and is a timeout too.
    call = new_call("POST", f"{base}/stall")
    with pytest.raises(CallTimeout) as caught:
        transport.send(call, safe=True, json={"skus": ["A1"]})
    assert not isinstance(caught.value, UnknownOutcome)


def test_a_write_never_sent_is_not_an_unknown_outcome(transport):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port any more: the connection is refused.
    call = new_call("POST", f"http://127.0.0.1:{port}/offer")
    with pytest.raises(TransportError) as caught:
        transport.send(call, json={})
    assert not isinstance(caught.value, UnknownOutcome)
    assert caught.value.request_id == call["request_id"]
    assert call["attempt"] == 1


def test_retry_after_in_seconds_from_the_server(server, base, transport):
    server.retry_after = "7"
    response = transport.send(new_call("GET", f"{base}/limited"))
    assert response.status_code == 429
    assert parse_retry_after(response.headers["Retry-After"]) == 7


def test_retry_after_as_an_http_date_from_the_server(server, base, transport):
    server.retry_after = email.utils.formatdate(time.time() + 120, usegmt=True)
    response = transport.send(new_call("GET", f"{base}/limited"))
    assert response.status_code == 429
    assert 115 <= parse_retry_after(response.headers["Retry-After"]) <= 120


def test_retry_after_forms_and_nonsense():
    assert parse_retry_after("120") == 120
    assert parse_retry_after(" 3 ") == 3
    date = "Wed, 21 Oct 2015 07:28:10 GMT"
    assert parse_retry_after(date, now=1445412480) == 10
    # A date already past means "now", never a negative wait.
    assert parse_retry_after(date, now=1445412490 + 60) == 0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("") is None
    assert parse_retry_after(None) is None


class Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def reporter_log():
    logger = logging.getLogger("apiclient_test.calls")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    lines = Lines()
    logger.addHandler(lines)
    yield logger, lines
    logger.removeHandler(lines)


def call_through(reporter, transport, call, **kwargs):
    with reporter.reporting(call):
        transport.send(call, {"Authorization": f"Bearer {SECRET}"}, **kwargs)


def test_each_call_is_reported_once_without_secrets(
    server, base, transport, reporter_log
):
    logger, lines = reporter_log
    reported = []
    reporter = CallReporter(logger, "test_call", reported.append, {"account": 7})
    call = new_call("GET", f"{base}/echo", operation="echo")
    call_through(reporter, transport, call, params={"token": SECRET})
    # The secret did go out (header and query string)...
    _method, path, headers = server.received[0]
    assert SECRET in headers["authorization"] and SECRET in path
    # ...and came back in neither the report nor the log line.
    assert reported == [call]
    assert len(lines.records) == 1
    record = lines.records[0]
    assert record.levelno == logging.INFO
    event, payload = record.getMessage().split(" ", 1)
    line = json.loads(payload)
    assert event == "test_call"
    assert line == {
        "operation": "echo",
        "method": "GET",
        "path": "/echo",
        "status": 200,
        "request_id": call["request_id"],
        "duration_ms": call["duration_ms"],
        "error_ids": [],
        "attempt": 1,
        "account": 7,
    }
    for text in (record.getMessage(), json.dumps(reported)):
        assert SECRET not in text


def test_a_failed_call_is_reported_once_with_its_error(
    server, base, transport, reporter_log
):
    logger, lines = reporter_log
    reported = []
    reporter = CallReporter(logger, "test_call", reported.append)
    call = new_call("POST", f"{base}/stall", operation="publish")
    with pytest.raises(UnknownOutcome):
        call_through(reporter, transport, call, json={"secret": SECRET})
    assert len(reported) == 1
    assert reported[0]["message"] == "the test server did not answer in time"
    assert (reported[0]["status"], reported[0]["attempt"]) == (0, 1)
    assert [r.levelno for r in lines.records] == [logging.WARNING]
    line = json.loads(lines.records[0].getMessage().split(" ", 1)[1])
    assert "message" not in line, "error texts stay out of log lines"
    assert line["request_id"] == received_ids(server)[0]
    for text in (lines.records[0].getMessage(), json.dumps(reported)):
        assert SECRET not in text


def test_a_call_ended_by_another_exception_is_still_reported(reporter_log):
    logger, lines = reporter_log
    reported = []
    reporter = CallReporter(logger, "test_call", reported.append)
    call = new_call("GET", "http://127.0.0.1/never-sent")
    with pytest.raises(RuntimeError), reporter.reporting(call):
        raise RuntimeError("the token provider failed")
    assert len(reported) == 1 and len(lines.records) == 1
    assert (reported[0]["attempt"], "message" in reported[0]) == (0, False)


# -- the import rule ----------------------------------------------------------


def imported_top_names(path):
    """(level, first name) of every import in a module: level 0 is absolute,
    level 2 (``from ..x``) reaches the addon's other packages."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(0, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level >= 2 and not node.module:
                found += [(node.level, alias.name) for alias in node.names]
            elif node.module:
                found.append((node.level, node.module.split(".")[0]))
    return found


def modules_of(package):
    paths = sorted(Path(REPO_DIR, package).rglob("*.py"))
    assert paths, f"no module found in {package}/"
    return paths


def test_apiclient_imports_neither_odoo_nor_a_channel():
    for path in modules_of("apiclient"):
        for level, name in imported_top_names(path):
            where = path.relative_to(REPO_DIR)
            assert name != "odoo", f"{where} imports odoo"
            assert level < 2, f"{where} imports {name} from outside apiclient"
            assert name not in ("ebay", "amazon"), f"{where} imports {name}"


def test_ebay_imports_no_odoo_and_only_apiclient_of_the_addon():
    for path in modules_of("ebay"):
        for level, name in imported_top_names(path):
            where = path.relative_to(REPO_DIR)
            assert name != "odoo", f"{where} imports odoo"
            if level >= 2:
                assert name == "apiclient", f"{where} imports {name}"


def test_the_import_rule_sees_what_it_forbids(tmp_path):
    """The reader above finds each kind of import it must refuse."""
    module = tmp_path / "m.py"
    module.write_text(
        "import odoo.fields\nfrom odoo import api\nfrom .. import models\n"
        "from ..ebay import EbayClient\nfrom .errors import ApiError\n"
    )
    assert imported_top_names(module) == [
        (0, "odoo"),
        (0, "odoo"),
        (2, "models"),
        (2, "ebay"),
        (1, "errors"),
    ]


def test_the_package_exports_what_it_documents():
    for name in apiclient.__all__:
        assert hasattr(apiclient, name), name
