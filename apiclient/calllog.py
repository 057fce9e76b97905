"""What a client reports of each call: one structured log line, and the
``on_call`` hook its caller gives (the Odoo side writes the call log).

A call is a plain dict (:func:`new_call`) that the transport fills as it
goes; whatever happens, it is reported once, when the call is over.
"""

import contextlib
import json
import logging
from urllib.parse import urlsplit

from .errors import ApiError
from .transport import new_correlation_id

# What a log line of a call may carry: identifiers and measures, never the
# URL's query string, headers, bodies or the service's error texts (which
# may quote what was sent).
LOGGED_CALL_KEYS = (
    "operation",
    "method",
    "path",
    "status",
    "request_id",
    "duration_ms",
    "error_ids",
    "attempt",
)


def new_call(method, url, operation=None, path=None, request_id=None):
    """The record of one call about to be made.

    ``path`` is what logs show (default: the URL's path); query strings
    (filters, ids) never go in it.  ``attempt`` counts the requests sent
    (0 until one leaves; 2 after a retry within the call).
    """
    path = (path or urlsplit(url).path).split("?", 1)[0]
    return {
        "operation": operation or path,
        "method": method,
        "url": url,
        "path": path,
        "request_id": request_id or new_correlation_id(),
        "status": 0,
        "error_ids": [],
        "duration_ms": 0,
        "attempt": 0,
    }


def log_call(logger, event, call, extra=None, keys=LOGGED_CALL_KEYS):
    """Log one finished call as ``<event> {json}`` on ``logger``.

    INFO when the call succeeded; WARNING for an error status, for no answer
    (status 0) or for an answer the client refused (``message`` set).
    Only ``keys`` of the call are logged, then ``extra``.
    """
    status = call.get("status") or 0
    failed = not 0 < status < 400 or bool(call.get("message"))
    level = logging.WARNING if failed else logging.INFO
    if not logger.isEnabledFor(level):
        return
    record = {key: call[key] for key in keys if key in call}
    record.update(extra or {})
    logger.log(level, "%s %s", event, json.dumps(record, default=str))


class CallReporter:
    """Reports every call of one client, once, however it ended.

    :param logger: the channel's logger (its name says which client called)
    :param event: the first word of the log line (``ebay_call``)
    :param on_call: optional callable receiving the call dict
    :param log_fields: extra fields for every log line (``{"account": 7}``);
        plain identifiers only, never secrets or buyer data
    :param keys: the call's keys that go in the log line
    """

    def __init__(
        self, logger, event, on_call=None, log_fields=None, keys=LOGGED_CALL_KEYS
    ):
        self.logger = logger
        self.event = event
        self.on_call = on_call
        self.log_fields = dict(log_fields or {})
        self.keys = keys

    @contextlib.contextmanager
    def reporting(self, call):
        """Around a call: an ApiError adds its fields (message, error ids) to
        the call and goes on; at the end, the log line, then ``on_call``."""
        try:
            yield call
        except ApiError as err:
            call.update(err.call_fields())
            raise
        finally:
            log_call(self.logger, self.event, call, self.log_fields, self.keys)
            if self.on_call is not None:
                self.on_call(call)
