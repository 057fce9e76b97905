"""apiclient's HTTP door with Amazon's names: no correlation header of ours
(Amazon answers with its own ``x-amzn-RequestId``, which becomes the call's
id), Amazon's errors for a missing answer."""

from ..apiclient import DEFAULT_TIMEOUT, Transport
from .errors import AmazonTimeout, AmazonUnknownOutcome, AmazonUnreachable

AMAZON_REQUEST_ID_HEADER = "x-amzn-RequestId"


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
