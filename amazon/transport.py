"""apiclient's HTTP door with Amazon's names: no correlation header of ours
(Amazon answers with its own ``x-amzn-RequestId``, which becomes the call's
id), Amazon's errors for a missing answer."""

import logging
import re

from ..apiclient import DEFAULT_TIMEOUT, Transport
from .errors import REDACTED, AmazonTimeout, AmazonUnknownOutcome, AmazonUnreachable

AMAZON_REQUEST_ID_HEADER = "x-amzn-RequestId"

# The parts of a presigned URL's query that let anyone holding it fetch the
# document or schema (S3's SigV4 query signing, which Amazon's links use).
_PRESIGNED_RE = re.compile(
    r"((?:X-Amz-(?:Signature|Credential|Security-Token)|Signature)=)[^&\s\"']+",
    re.IGNORECASE,
)


def redact_presigned(text):
    """``text`` with the signatures of any presigned URL in it blanked."""
    return _PRESIGNED_RE.sub(rf"\1{REDACTED}", text)


class _PresignedUrlFilter(logging.Filter):
    """urllib3 logs each request line, query string included, at DEBUG: a
    presigned URL's signature would reach the log.  This blanks it."""

    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = redact_presigned(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_presigned(arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        return True


_URLLIB3_LOGGER = logging.getLogger("urllib3.connectionpool")
if not any(isinstance(f, _PresignedUrlFilter) for f in _URLLIB3_LOGGER.filters):
    _URLLIB3_LOGGER.addFilter(_PresignedUrlFilter())


class AmazonTransport(Transport):
    """Sends the requests of Amazon's clients (SP-API, LWA, presigned URLs).

    :param session: a ``requests.Session`` (default: a new one)
    :param timeout: seconds to wait for an answer, for every request
    """

    # SP-API takes no client request id: ours stays in the call record until
    # Amazon's x-amzn-RequestId replaces it (a call with no answer keeps it).
    correlation_header = None
    timeout_error = AmazonTimeout
    unknown_outcome_error = AmazonUnknownOutcome
    unreachable_error = AmazonUnreachable

    def __init__(self, session=None, timeout=DEFAULT_TIMEOUT, service="Amazon"):
        super().__init__(session, timeout, service)


def amazon_request_id(response, call):
    """Make Amazon's request id (when it sent one) the id of ``call``."""
    request_id = response.headers.get(AMAZON_REQUEST_ID_HEADER)
    if request_id:
        call["request_id"] = request_id
    return call["request_id"]
