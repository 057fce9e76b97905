"""One HTTP door for a client: a Session, an explicit timeout, a correlation
id on every request, and no answer turned into the right error."""

import threading
import time
import uuid
from dataclasses import dataclass, field

import requests
from urllib3.exceptions import NewConnectionError

from .errors import CallTimeout, TransportError, UnknownOutcome

# One number: Odoo's test harness (and many proxies) expect a scalar timeout.
DEFAULT_TIMEOUT = 30  # seconds
# Methods that change nothing on the server: a lost answer is just lost.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_thread_local = threading.local()


def thread_session():
    """One keep-alive ``requests.Session`` per thread (a worker's calls reuse
    its connections; a Session is not safe to share between threads)."""
    session = getattr(_thread_local, "session", None)
    if session is None:
        session = _thread_local.session = requests.Session()
    return session


def new_correlation_id():
    """A fresh id to send with one call, to find it again in the service's
    logs and ours."""
    return str(uuid.uuid4())


@dataclass
class ApiResponse:
    """What a successful call returned, plus what staff need to trace it."""

    data: object
    status: int
    headers: dict = field(default_factory=dict)
    request_id: str = ""
    duration_ms: int = 0
    # The body as it came (a file download is not JSON).
    content: bytes = b""


def json_or_none(response):
    """The response's JSON body, or None when it has none or it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return None


def _never_sent(exc):
    """True when the request could not even be sent (no connection made)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = exc.args[0] if exc.args else None
    # requests wraps urllib3's MaxRetryError, whose reason is the cause.
    reason = getattr(reason, "reason", reason)
    return isinstance(reason, NewConnectionError)


class Transport:
    """Sends the requests of one client.

    A channel subclasses it to name its correlation header (None: none is
    sent) and to raise its own subclasses of the base errors (class
    attributes below).

    :param session: a ``requests.Session`` (default: a new one)
    :param timeout: seconds to wait for an answer, for every request
    :param service: how messages name the other side ("eBay")
    """

    correlation_header = "X-Request-ID"
    timeout_error = CallTimeout
    unknown_outcome_error = UnknownOutcome
    unreachable_error = TransportError

    def __init__(self, session=None, timeout=DEFAULT_TIMEOUT, service="the service"):
        self.session = session or requests.Session()
        self.timeout = timeout
        self.service = service

    def send(self, call, headers=None, safe=None, **kwargs):
        """Send the request ``call`` describes; return the ``requests`` response.

        ``call`` is the dict of :func:`apiclient.calllog.new_call`: its method,
        url and request id are sent, and its attempt, status and duration
        are updated here.  Any HTTP status is returned; only a missing
        answer raises: the unknown-outcome error for a write (``safe`` says
        whether the call only reads; by default, whether its method is GET,
        HEAD or OPTIONS), the timeout error for a read, the unreachable
        error when no connection could be made.  ``kwargs`` go to
        ``requests`` (json, params, data, files, auth).
        """
        call["attempt"] += 1
        call["status"] = 0
        if safe is None:
            safe = call["method"].upper() in SAFE_METHODS
        # A service that takes no correlation id of ours (Amazon sends its
        # own back) has no header: the id stays in our call record only.
        all_headers = (
            {self.correlation_header: call["request_id"]}
            if self.correlation_header
            else {}
        )
        all_headers.update(headers or {})
        request_id = call["request_id"]
        started = time.monotonic()
        try:
            response = self.session.request(
                call["method"],
                call["url"],
                headers=all_headers,
                timeout=self.timeout,
                **kwargs,
            )
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise self._no_answer(exc, safe, request_id) from exc
        finally:
            call["duration_ms"] = int((time.monotonic() - started) * 1000)
        call["status"] = response.status_code
        return response

    def _no_answer(self, exc, safe, request_id):
        if isinstance(exc, requests.Timeout):
            message = f"{self.service} did not answer in time"
        else:
            message = f"Could not reach {self.service} (connection failed)"
        if _never_sent(exc):
            return self.unreachable_error(message, request_id=request_id)
        if not safe:
            return self.unknown_outcome_error(message, request_id=request_id)
        if isinstance(exc, requests.Timeout):
            return self.timeout_error(message, request_id=request_id)
        return self.unreachable_error(message, request_id=request_id)
