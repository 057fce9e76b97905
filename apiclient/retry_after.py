"""Reading the Retry-After header (RFC 9110 §10.2.3)."""

import email.utils
import time


def parse_retry_after(value, now=None):
    """Seconds to wait from a Retry-After value: delta-seconds or an
    HTTP-date (then counted from ``now``, epoch seconds, default the clock).

    None when there is no value or it is neither form; never negative.
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now if now is not None else time.time()
    return max(0, int(when.timestamp() - now))
