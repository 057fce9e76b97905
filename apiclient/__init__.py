"""What every channel's client shares: pure Python on ``requests``.

The HTTP door (a Session, an explicit timeout, a correlation id per call),
the record of each call (its log line and the ``on_call`` hook), Retry-After
parsing and the base error types.  Nothing here imports odoo or a channel
package (``ebay/``, ``amazon/``): channels build on it, never the reverse.
"""

from .calllog import LOGGED_CALL_KEYS, CallReporter, log_call, new_call
from .errors import (
    ApiError,
    CallTimeout,
    RateLimited,
    Refused,
    ServerError,
    TransientError,
    TransportError,
    UnknownOutcome,
)
from .retry_after import parse_retry_after
from .transport import (
    DEFAULT_TIMEOUT,
    SAFE_METHODS,
    ApiResponse,
    Transport,
    json_or_none,
    new_correlation_id,
    thread_session,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "LOGGED_CALL_KEYS",
    "SAFE_METHODS",
    "ApiError",
    "ApiResponse",
    "CallReporter",
    "CallTimeout",
    "RateLimited",
    "Refused",
    "ServerError",
    "TransientError",
    "Transport",
    "TransportError",
    "UnknownOutcome",
    "json_or_none",
    "log_call",
    "new_call",
    "new_correlation_id",
    "parse_retry_after",
    "thread_session",
]
