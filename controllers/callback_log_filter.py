"""Keeps the authorisation codes and Odoo's states of consent callbacks out of
the request log (not a controller: each channel's callback registers its
path here).

A marketplace sends the seller back with ``?state=…&code=…`` in the URL, and
the HTTP server (werkzeug) logs every request line, query string included,
at INFO, Odoo's default level; so does the login redirect that carries the
callback URL when the session has expired.  One filter on the ``werkzeug``
logger cuts the query off those lines, for every registered path.
"""

import logging
import re

_paths = set()
_pattern = [None]


def _path_pattern(path):
    # The path, plain or percent-encoded (as in /web/login?redirect=…).
    return "(?:/|%2F)" + "(?:/|%2F)".join(
        re.escape(p) for p in path.strip("/").split("/")
    )


def _compile():
    alternatives = "|".join(_path_pattern(p) for p in sorted(_paths))
    # The path, then its query up to the end of the request target.
    return re.compile(f'((?:{alternatives}))(?:\\?|%3F)[^\\s\\x1b"]*', re.IGNORECASE)


class RedactOAuthCallbackQuery(logging.Filter):
    """Cuts the query off the request lines of every registered callback."""

    def filter(self, record):
        pattern = _pattern[0]
        if pattern is None:
            return True
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # not ours to repair
            return True
        redacted = pattern.sub(r"\1?[redacted]", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def redact_callback_queries(path):
    """Keep the query of requests to ``path`` out of the request log."""
    _paths.add(path)
    _pattern[0] = _compile()
    request_log = logging.getLogger("werkzeug")
    # By name: a reloaded module must not add a second one.
    if not any(
        type(existing).__name__ == RedactOAuthCallbackQuery.__name__
        for existing in request_log.filters
    ):
        request_log.addFilter(RedactOAuthCallbackQuery())
