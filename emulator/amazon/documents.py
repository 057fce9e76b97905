"""Amazon's documents: the presigned S3 URLs feeds and reports travel by.

Feeds upload their input to a presigned URL (createFeedDocument) and both
APIs hand out their results as one (getFeedDocument, getReportDocument).  On
Amazon those are S3 URLs signed with SigV4 in the query string; here they
are ``/_documents/{documentId}`` on the emulator's own origin, signed with an
HMAC the emulator keeps, and they behave as S3 does for a client:

* the signature covers the method, the document, ``X-Amz-Date``,
  ``X-Amz-Expires`` and any ``response-content-encoding``: a tampered or
  reused-for-another-method URL answers 403 ``SignatureDoesNotMatch``;
* an upload URL signs the Content-Type given to createFeedDocument: a PUT
  with another one answers 403 ``SignatureDoesNotMatch`` (Amazon's Feeds
  guide: the Content-Type must match "otherwise your feed data upload will
  fail");
* a URL lives 5 minutes on the emulator clock (the model: "This URL expires
  after 5 minutes"), then answers 403 ``AccessDenied`` "Request has expired";
* the URL is the credential: no ``x-amz-access-token`` is needed, and one
  sent along is refused (403 ``AccessDenied``, S3's answer to an x-amz-
  header the URL did not sign [UNCONFIRMED for this header; S3 refuses
  unsigned x-amz-* headers on presigned requests]): a seller's LWA token has
  no business on an S3 host;
* a download is sent as stored, with no ``Content-Encoding`` unless the URL
  asks for one (``enableContentEncodingUrlHeader=true``): a gzip report
  reaches the client as gzip bytes, never decoded twice.

Errors are S3's XML (``<Error><Code>..</Code><Message>..</Message>..``).
"""

import datetime
import hashlib
import hmac
import secrets
import uuid
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from .routes import route

URL_TTL = 300  # seconds a presigned URL lives ("expires after 5 minutes")
# "The feedDocumentId expires after two days" (Feeds guide): createFeed
# refuses an older input document.
INPUT_DOCUMENT_TTL = 2 * 24 * 3600
DOCUMENTS_PATH = "/_documents/"
ALGORITHM = "AWS4-HMAC-SHA256"


def documents(state):
    """``{document_id: document}`` of this emulator (under ``state.lock``)."""
    return state.data.setdefault("documents", {})


def _signing_key(state):
    # A fresh key after every reset: old URLs stop working, as they should.
    return state.data.setdefault("document_signing_key", secrets.token_bytes(32))


def new_document_id():
    """An id in the shape of Amazon's (``amzn1.tortuga.4.na.<uuid>.T<...>``)."""
    tail = secrets.token_hex(7).upper()
    return f"amzn1.tortuga.4.na.{uuid.uuid4()}.T{tail}"


def new_document(
    state, seller_id, kind, content_type, content=None, compression=None, doc_id=None
):
    """Store a document and return it.

    ``kind``: "feed_input" (waits for its upload), "feed_result" or
    "report"; ``compression``: "GZIP" when ``content`` is gzip bytes.
    """
    with state.lock:
        doc = {
            "document_id": doc_id or new_document_id(),
            "kind": kind,
            "seller_id": seller_id,
            "content_type": content_type,
            "content": content,
            "compression": compression,
            "created": state.now(),
            "uploaded": state.now() if content is not None else None,
        }
        documents(state)[doc["document_id"]] = doc
        return doc


def find_document(state, doc_id, seller_id, kinds):
    """The seller's document ``doc_id`` of one of ``kinds``, or None."""
    with state.lock:
        doc = documents(state).get(doc_id)
        if doc is None or doc["seller_id"] != seller_id or doc["kind"] not in kinds:
            return None
        return doc


def public(doc):
    """A document as the control API shows it (no bytes)."""
    content = doc["content"]
    return {
        "document_id": doc["document_id"],
        "kind": doc["kind"],
        "seller_id": doc["seller_id"],
        "content_type": doc["content_type"],
        "compression": doc["compression"],
        "size": len(content) if content is not None else None,
        "uploaded": doc["uploaded"] is not None,
        "created": doc["created"],
    }


# -- presigned URLs --------------------------------------------------------------
def _amz_date(timestamp):
    moment = datetime.datetime.fromtimestamp(int(timestamp), datetime.timezone.utc)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _parse_amz_date(text):
    try:
        moment = datetime.datetime.strptime(text + "+0000", "%Y%m%dT%H%M%SZ%z")
    except (TypeError, ValueError):
        return None
    return moment.timestamp()


def _signature(state, method, doc_id, params):
    signed = "\n".join(
        [method, doc_id]
        + [
            f"{key}={params.get(key, '')}"
            for key in sorted(params)
            if key != "X-Amz-Signature"
        ]
    )
    return hmac.new(_signing_key(state), signed.encode(), hashlib.sha256).hexdigest()


def presigned_url(state, base_url, doc, method, content_encoding=None):
    """A URL that lets its bearer ``method`` (PUT: upload, GET: download)
    ``doc`` for :data:`URL_TTL` seconds of the emulator clock."""
    now = state.now()
    day = _amz_date(now)[:8]
    params = {
        "X-Amz-Algorithm": ALGORITHM,
        "X-Amz-Credential": f"EMULATOR/{day}/us-east-1/s3/aws4_request",
        "X-Amz-Date": _amz_date(now),
        "X-Amz-Expires": str(URL_TTL),
        "X-Amz-SignedHeaders": "content-type;host" if method == "PUT" else "host",
    }
    if content_encoding:
        # S3's way of overriding a response header from the URL.
        params["response-content-encoding"] = content_encoding
    params["X-Amz-Signature"] = _signature(state, method, doc["document_id"], params)
    return f"{base_url}{DOCUMENTS_PATH}{doc['document_id']}?{urlencode(params)}"


def document_answer(req, doc, id_key):
    """getFeedDocument's / getReportDocument's answer: the id (under
    ``id_key``), a download URL and, for a compressed document, its
    ``compressionAlgorithm``.  ``enableContentEncodingUrlHeader=true`` makes
    the URL answer ``Content-Encoding: gzip`` ("instead of the default
    identity when compressionAlgorithm is GZIP")."""
    answer = {id_key: doc["document_id"]}
    encoding = None
    if doc["compression"]:
        answer["compressionAlgorithm"] = doc["compression"]
        if req.query.get("enableContentEncodingUrlHeader") == "true":
            encoding = "gzip"
    answer["url"] = presigned_url(
        req.state, req.base_url, doc, "GET", content_encoding=encoding
    )
    return answer


def _s3_error(status, code, message, **extra):
    fields = "".join(
        f"<{key}>{escape(str(value))}</{key}>" for key, value in extra.items()
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{escape(message)}</Message>{fields}"
        f"<RequestId>{secrets.token_hex(8).upper()}</RequestId>"
        f"<HostId>{secrets.token_urlsafe(32)}</HostId></Error>"
    )
    return status, body.encode(), {"Content-Type": "application/xml"}


def _signature_mismatch():
    return _s3_error(
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you "
        "provided. Check your key and signing method.",
    )


def _check_url(req, method):
    """``(document, None)`` when the URL may ``method`` its document, else
    ``(None, the S3 error answer)``."""
    state = req.state
    params = dict(req.query)
    doc_id = req.params["documentId"]
    if "x-amz-access-token" in req.headers:
        return None, _s3_error(
            403,
            "AccessDenied",
            "There were headers present in the request which were not signed",
            HeadersNotSigned="x-amz-access-token",
        )
    given = params.get("X-Amz-Signature", "")
    expected = _signature(state, method, doc_id, params)
    if not given or not hmac.compare_digest(given, expected):
        return None, _signature_mismatch()
    signed_at = _parse_amz_date(params.get("X-Amz-Date"))
    try:
        lifetime = int(params.get("X-Amz-Expires", ""))
    except ValueError:
        lifetime = -1
    if signed_at is None or lifetime < 0:
        return None, _signature_mismatch()
    now = state.now()
    if now > signed_at + lifetime:
        return None, _s3_error(
            403,
            "AccessDenied",
            "Request has expired",
            **{
                "X-Amz-Expires": lifetime,
                "Expires": _iso(signed_at + lifetime),
                "ServerTime": _iso(now),
            },
        )
    with state.lock:
        doc = documents(state).get(doc_id)
    if doc is None:
        return None, _s3_error(
            404, "NoSuchKey", "The specified key does not exist.", Key=doc_id
        )
    return doc, None


def _iso(timestamp):
    moment = datetime.datetime.fromtimestamp(int(timestamp), datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@route("PUT", DOCUMENTS_PATH + "{documentId}", auth=None)
def upload(req):
    """The PUT of a feed's input to its presigned URL."""
    doc, problem = _check_url(req, "PUT")
    if problem:
        return problem
    # The Content-Type is a signed header: S3 compares it as sent.
    sent_type = (req.headers.get("Content-Type") or "").strip()
    if doc["kind"] != "feed_input" or sent_type != doc["content_type"]:
        return _signature_mismatch()
    with req.state.lock:
        doc["content"] = bytes(req.raw_body)
        doc["uploaded"] = req.state.now()
    etag = hashlib.md5(req.raw_body).hexdigest()  # S3's ETag of a simple PUT
    return 200, b"", {"ETag": f'"{etag}"'}


@route("GET", DOCUMENTS_PATH + "{documentId}", auth=None)
def download(req):
    """The GET of a document (feed input, processing report, report)."""
    doc, problem = _check_url(req, "GET")
    if problem:
        return problem
    if doc["content"] is None:
        return _s3_error(
            404,
            "NoSuchKey",
            "The specified key does not exist.",
            Key=doc["document_id"],
        )
    headers = {"Content-Type": doc["content_type"]}
    encoding = req.query.get("response-content-encoding")
    if encoding:
        # Only when the URL asks (getFeedDocument's
        # enableContentEncodingUrlHeader): otherwise a gzip document carries
        # no Content-Encoding and no HTTP client decodes it on its own.
        headers["Content-Encoding"] = encoding
    return 200, doc["content"], headers
