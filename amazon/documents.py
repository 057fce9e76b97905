"""Feed and report documents: bytes that travel by presigned URLs.

createFeedDocument, getFeedDocument and getReportDocument hand out URLs
(S3's, on Amazon) whose signature is the credential; they last 5 minutes
(AMAZON_FACTS §7).  :class:`DocumentTransfer` uploads and downloads them:

- with a plain ``requests.Session`` of its own, so nothing of the SP-API
  calls (the seller's ``x-amz-access-token``, cookies) can ride along to the
  storage host;
- an upload's Content-Type is exactly the one the document was created with
  (else S3 refuses the signature);
- a download is read as the bytes sent, never decoded by the HTTP client,
  and gunzipped here only when the bytes are gzip (they start with 1f 8b):
  in 2023 Amazon served documents with ``Content-Encoding: gzip`` *and*
  ``compressionAlgorithm: GZIP``, and clients that decoded transparently
  then failed to gunzip a second time.

Failures are AmazonErrors like any call's, with S3's XML error read for its
code and message, and every transfer is reported through the client's
reporter (its path only: the query string holds the signature).
"""

import gzip
import re
import zlib

import requests
import urllib3

from ..apiclient import new_call
from .errors import (
    AmazonRefused,
    AmazonServerError,
    AmazonTimeout,
    AmazonTransientError,
)
from .transport import AmazonTransport, amazon_request_id

GZIP_MAGIC = b"\x1f\x8b"
# A document gzipped more than this many times is not one Amazon makes.
MAX_GUNZIP = 3
_S3_FIELD = re.compile(r"<(Code|Message)>([^<]*)</\1>")


def gunzip_if_gzip(data, limit=MAX_GUNZIP):
    """``data`` unzipped as long as it is gzip (up to ``limit`` layers);
    as it is otherwise.  AmazonRefused when it claims gzip and is not."""
    for _ in range(limit):
        if not data.startswith(GZIP_MAGIC):
            break
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise AmazonRefused(
                "Amazon's document is damaged (its gzip data does not unpack)."
            ) from exc
    return data


def s3_error(response):
    """``{code, message}`` of S3's XML error answer (both may be empty)."""
    text = response.text if response.content else ""
    fields = dict(_S3_FIELD.findall(text[:4000]))
    return {"code": fields.get("Code", ""), "message": fields.get("Message", "")}


def transfer_error(response, request_id, what, content_type=None):
    """The AmazonError of a failed document upload or download."""
    status = response.status_code
    error = s3_error(response)
    errors = [error] if error["code"] else []
    said = error["message"] or f"HTTP {status}"
    kwargs = {"status": status, "errors": errors, "request_id": request_id}
    if status >= 500:
        return AmazonServerError(f"Amazon's document storage failed ({said})", **kwargs)
    if "expired" in error["message"].lower():
        # The URL outlived its 5 minutes: a new document (or a new link to
        # it) works, so the work may be tried again.
        return AmazonTransientError(
            f"The {what} URL expired before it was used (Amazon's document "
            "URLs last 5 minutes)",
            **kwargs,
        )
    if error["code"] == "SignatureDoesNotMatch" and content_type:
        return AmazonRefused(
            f"Amazon refused the {what}: the Content-Type sent ({content_type}) "
            "must be exactly the one the document was created with "
            f"(Amazon said: {said})",
            **kwargs,
        )
    return AmazonRefused(f"Amazon refused the {what} ({said})", **kwargs)


class DocumentTransfer:
    """Uploads and downloads of one client's documents.

    :param client: the :class:`SpApiClient` (its reporter logs the calls,
        its User-Agent and timeout are used)
    :param session: the plain ``requests.Session`` for presigned URLs
        (default: a new one, never the SP-API calls' own)
    """

    def __init__(self, client, session=None):
        self.client = client
        self.transport = AmazonTransport(
            session or requests.Session(), timeout=client.timeout
        )

    def _headers(self, extra=None):
        # Only what the URL's signature expects: no x-amz-* header of the
        # SP-API calls (S3 refuses unsigned ones, and the token is a secret).
        headers = {"User-Agent": self.client.user_agent}
        headers.update(extra or {})
        return headers

    def _send(self, call, headers, **kwargs):
        try:
            return self.transport.send(call, headers, **kwargs)
        finally:
            # The query string is the URL's signature, a credential for its
            # 5 minutes: the record the caller's on_call receives keeps none.
            call["url"] = call["url"].split("?", 1)[0]

    def upload(self, url, data, content_type, operation="uploadFeedDocument"):
        """PUT ``data`` (bytes) to a presigned upload URL as ``content_type``."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        call = new_call("PUT", url, operation)
        headers = self._headers({"Content-Type": content_type})
        with self.client.reporter.reporting(call):
            response = self._send(call, headers, data=data)
            request_id = amazon_request_id(response, call)
            if response.status_code >= 400:
                raise transfer_error(
                    response, request_id, "feed document upload", content_type
                )
        return response.status_code

    def download(self, url, compression=None, operation="downloadDocument"):
        """The bytes at a presigned download URL, unzipped when gzip.

        ``compression`` (Amazon's ``compressionAlgorithm``) is informative
        only: the bytes themselves say whether they are gzip, whatever the
        headers or Amazon's document said.
        """
        del compression  # the magic number decides (module docstring)
        call = new_call("GET", url, operation)
        # identity: ask for the bytes as stored; raw.read(decode_content=False)
        # keeps them so even when the server sets Content-Encoding anyway.
        headers = self._headers({"Accept-Encoding": "identity"})
        with self.client.reporter.reporting(call):
            response = self._send(call, headers, stream=True)
            try:
                request_id = amazon_request_id(response, call)
                if response.status_code >= 400:
                    raise transfer_error(response, request_id, "document download")
                try:
                    data = response.raw.read(decode_content=False)
                except urllib3.exceptions.HTTPError as exc:
                    raise AmazonTimeout(
                        "Amazon's document storage did not send the whole document",
                        request_id=request_id,
                    ) from exc
            finally:
                response.close()
        return gunzip_if_gzip(data)
