"""Feeds API 2021-06-30 and the JSON_LISTINGS_FEED: many SKUs in one call.

A feed is a document uploaded to a presigned URL, then submitted; Amazon
processes it later and leaves a processing report, another document
(AMAZON_FACTS §7):

1. createFeedDocument(contentType) -> ``{feedDocumentId, url}``;
2. PUT the bytes to ``url`` with the same Content-Type (:mod:`.documents`);
3. createFeed(JSON_LISTINGS_FEED, [one marketplace], feedDocumentId);
4. getFeed until DONE / FATAL / CANCELLED;
5. getFeedDocument(resultFeedDocumentId), download, gunzip when gzip, and
   :func:`parse_processing_report`.

A JSON_LISTINGS_FEED holds at most 25,000 messages (:func:`chunks`), serves
one marketplace (users' reports and Amazon staff: more are refused) and a
seller may submit 5 of them per 5 minutes per region.
"""

import json
from dataclasses import dataclass, field

from .documents import DocumentTransfer
from .paths import path_segment
from .ratelimit import JSON_LISTINGS_FEED_OPERATION

BASE = "/feeds/2021-06-30"
JSON_LISTINGS_FEED = "JSON_LISTINGS_FEED"
# Amazon's listings sample creates and uploads JSON feeds as
# "application/json"; whether a charset parameter is also taken is
# UNCONFIRMED, so none is added (the JSON is UTF-8, JSON's own encoding).
LISTINGS_FEED_CONTENT_TYPE = "application/json"
FEED_VERSION = "2.0"
LISTINGS_API_VERSION = "2021-08-01"
MAX_MESSAGES = 25_000
MAX_MESSAGE_ID = 2_147_483_647
TERMINAL_STATUSES = frozenset({"DONE", "FATAL", "CANCELLED"})
OPERATIONS = ("UPDATE", "PARTIAL_UPDATE", "PATCH", "DELETE")


# -- building the document ------------------------------------------------------
def _message(sku, operation, **fields):
    return {"sku": sku, "operationType": operation, **fields}


def update_message(sku, product_type, attributes, requirements="LISTING"):
    """An UPDATE message: the listing's full set of attributes (any other
    attribute the listing had is dropped)."""
    return _message(
        sku,
        "UPDATE",
        productType=product_type,
        requirements=requirements,
        attributes=attributes,
    )


def partial_update_message(sku, product_type, attributes):
    """PARTIAL_UPDATE: the given attributes replaced, the others kept."""
    return _message(
        sku, "PARTIAL_UPDATE", productType=product_type, attributes=attributes
    )


def patch_message(sku, product_type, patches):
    """PATCH: JSON patches (e.g. :func:`.attributes.offer_patches`)."""
    return _message(sku, "PATCH", productType=product_type, patches=patches)


def delete_message(sku):
    return _message(sku, "DELETE")


def chunks(messages, size=MAX_MESSAGES):
    """``messages`` in lists of at most ``size`` (a feed's limit: 25,000)."""
    if size < 1:
        raise ValueError("a chunk holds at least one message")
    messages = list(messages)
    return [messages[i : i + size] for i in range(0, len(messages), size)]


def listings_feed_document(
    seller_id, messages, issue_locale="en_US", included_data=("issues",)
):
    """The JSON_LISTINGS_FEED document (a dict) of ``messages``.

    Messages without a ``messageId`` are numbered after the highest given
    (1, 2, ... when none is); the report names each message by it.
    ``included_data`` asks the report for each listing's data after
    processing (Listings Items' includedData): with ``("issues",)`` the
    report also carries the issues found after acceptance; empty or None
    for a report on acceptance only.

    :raises ValueError: no message, more than 25,000, a messageId repeated
        or out of range, an unknown operation
    """
    messages = [dict(m) for m in messages]
    if not messages:
        raise ValueError("A listings feed needs at least one message.")
    if len(messages) > MAX_MESSAGES:
        raise ValueError(
            f"A listings feed holds at most {MAX_MESSAGES} messages, "
            f"{len(messages)} given: split them with chunks()."
        )
    given = [m["messageId"] for m in messages if "messageId" in m]
    for message_id in given:
        if (
            isinstance(message_id, bool)
            or not isinstance(message_id, int)
            or not 1 <= message_id <= MAX_MESSAGE_ID
        ):
            raise ValueError(f"messageId {message_id!r} is not in 1..{MAX_MESSAGE_ID}.")
    if len(set(given)) != len(given):
        raise ValueError("Each message of a feed needs its own messageId.")
    next_id = max(given, default=0) + 1
    for message in messages:
        if message.get("operationType") not in OPERATIONS:
            raise ValueError(
                f"Message for SKU {message.get('sku')!r}: operationType must be "
                f"one of {', '.join(OPERATIONS)}."
            )
        if "messageId" not in message:
            message["messageId"] = next_id
            next_id += 1
    if next_id - 1 > MAX_MESSAGE_ID:
        raise ValueError(f"messageIds would go past {MAX_MESSAGE_ID}.")
    header = {"sellerId": seller_id, "version": FEED_VERSION}
    if issue_locale:
        header["issueLocale"] = issue_locale
    if included_data:
        header["report"] = {
            "includedData": list(included_data),
            "apiVersion": LISTINGS_API_VERSION,
        }
    # Keys in the order Amazon's examples write them, messageId first.
    ordered = [{"messageId": m.pop("messageId"), **m} for m in messages]
    return {"header": header, "messages": ordered}


def document_bytes(document):
    """The document as the UTF-8 bytes to upload (characters kept as they
    are: an accent is 2 bytes, not a 6-character escape)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


# -- the processing report --------------------------------------------------------
@dataclass
class ProcessingReport:
    """What Amazon made of a JSON_LISTINGS_FEED.

    :param feed_id: the feed it reports on
    :param summary: Amazon's counters (errors, warnings, messagesProcessed,
        messagesAccepted, messagesInvalid, itemSummary?)
    :param issues_by_message: {messageId: [issue]} (issues as Amazon wrote
        them: code, severity, message, sku, attributeName)
    :param feed_issues: issues about the feed as a whole (no messageId,
        e.g. a formatting error)
    :param items: the listings data asked for by ``includedData``, by SKU
    """

    feed_id: str
    seller_id: str
    summary: dict
    issues_by_message: dict = field(default_factory=dict)
    feed_issues: list = field(default_factory=list)
    items: dict = field(default_factory=dict)

    def issues(self, message_id):
        return self.issues_by_message.get(message_id, [])

    def errors(self, message_id):
        return [i for i in self.issues(message_id) if i.get("severity") == "ERROR"]

    def accepted(self, message_id):
        """True when the message was accepted (no ERROR issue names it and
        the feed itself was not refused)."""
        return not self.errors(message_id) and not any(
            i.get("severity") == "ERROR" for i in self.feed_issues
        )


def parse_processing_report(data):
    """A :class:`ProcessingReport` from the report's bytes, text or JSON.

    :raises ValueError: it is not a listings feed processing report (a FATAL
        feed may leave a report in another format, or none: FG Step 5)
    """
    if isinstance(data, bytes | bytearray):
        data = bytes(data).decode("utf-8-sig")
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise ValueError("The feed's processing report is not JSON.") from exc
    shaped = (
        isinstance(data, dict)
        and isinstance(data.get("header"), dict)
        and isinstance(data.get("summary"), dict)
        and isinstance(data.get("issues"), list)
    )
    if not shaped:
        raise ValueError(
            "The feed's processing report is not a listings feed report "
            "(header, issues and summary expected)."
        )
    header, summary, issues = data["header"], data["summary"], data["issues"]
    report = ProcessingReport(
        feed_id=str(header.get("feedId") or ""),
        seller_id=str(header.get("sellerId") or ""),
        summary=summary,
    )
    for issue in issues:
        if not isinstance(issue, dict):
            continue
        message_id = issue.get("messageId")
        if message_id is None:
            report.feed_issues.append(issue)
        else:
            report.issues_by_message.setdefault(message_id, []).append(issue)
    for item in data.get("items") or ():
        if isinstance(item, dict) and item.get("sku"):
            report.items[item["sku"]] = item
    return report


# -- the API ----------------------------------------------------------------------
@dataclass(frozen=True)
class FeedSubmission:
    """A feed handed to Amazon: its id and its input document's."""

    feed_id: str
    document_id: str
    size: int


class FeedsApi:
    """Feeds 2021-06-30 for one client (``client.feeds``)."""

    def __init__(self, client, document_session=None):
        self.client = client
        self.documents = DocumentTransfer(client, document_session)

    def create_document(self, content_type):
        """createFeedDocument: ``{feedDocumentId, url}`` (the url lasts 5
        minutes; the upload must use this ``content_type``)."""
        return self.client.request(
            "createFeedDocument",
            "POST",
            f"{BASE}/documents",
            json={"contentType": content_type},
        ).data

    def upload(self, url, data, content_type):
        """PUT the document's bytes to its presigned URL (no Amazon token)."""
        return self.documents.upload(url, data, content_type)

    def create_feed(self, feed_type, marketplace_ids, document_id, feed_options=None):
        """createFeed: the feed's id (Amazon answers 202: queued)."""
        body = {
            "feedType": feed_type,
            "marketplaceIds": list(marketplace_ids),
            "inputFeedDocumentId": document_id,
        }
        if feed_options:
            body["feedOptions"] = dict(feed_options)
        # JSON_LISTINGS_FEED has a limit of its own (5 per 5 minutes per
        # region), not createFeed's: its calls count in its own bucket.
        listings = feed_type == JSON_LISTINGS_FEED
        data = self.client.request(
            "createFeed",
            "POST",
            f"{BASE}/feeds",
            json=body,
            bucket=JSON_LISTINGS_FEED_OPERATION if listings else None,
        ).data
        return (data or {}).get("feedId")

    def get_feed(self, feed_id):
        """getFeed: ``{feedId, processingStatus, resultFeedDocumentId?, ...}``."""
        return self.client.request(
            "getFeed", "GET", f"{BASE}/feeds/{path_segment(feed_id, 'feed id')}"
        ).data

    def cancel_feed(self, feed_id):
        """cancelFeed (only while the feed is IN_QUEUE)."""
        self.client.request(
            "cancelFeed", "DELETE", f"{BASE}/feeds/{path_segment(feed_id, 'feed id')}"
        )

    def get_document(self, document_id, content_encoding_header=False):
        """getFeedDocument: ``{feedDocumentId, url, compressionAlgorithm?}``.

        ``content_encoding_header``: Amazon's enableContentEncodingUrlHeader,
        a URL whose answer says ``Content-Encoding: gzip`` (for clients that
        unzip on their own; :meth:`download` needs no such help).
        """
        segment = path_segment(document_id, "feed document id")
        params = {"enableContentEncodingUrlHeader": "true"}
        return self.client.request(
            "getFeedDocument",
            "GET",
            f"{BASE}/documents/{segment}",
            params=params if content_encoding_header else None,
        ).data

    def download(self, url, compression=None):
        """A document's bytes (gunzipped when they are gzip)."""
        return self.documents.download(url, compression)

    def submit_document(self, feed_type, marketplace_id, data, content_type):
        """Create a document, upload ``data``, submit it: a FeedSubmission."""
        document = self.create_document(content_type)
        self.upload(document["url"], data, content_type)
        feed_id = self.create_feed(
            feed_type, [marketplace_id], document["feedDocumentId"]
        )
        return FeedSubmission(feed_id, document["feedDocumentId"], len(data))

    def submit_listings_feed(
        self,
        seller_id,
        marketplace_id,
        messages,
        included_data=("issues",),
        issue_locale="en_US",
    ):
        """One JSON_LISTINGS_FEED of ``messages`` for one marketplace: its
        feed id (:meth:`submit_listings_feed_document` also gives the
        document id and size)."""
        return self.submit_listings_feed_document(
            seller_id, marketplace_id, messages, included_data, issue_locale
        ).feed_id

    def submit_listings_feed_document(
        self,
        seller_id,
        marketplace_id,
        messages,
        included_data=("issues",),
        issue_locale="en_US",
    ):
        document = listings_feed_document(
            seller_id, messages, issue_locale=issue_locale, included_data=included_data
        )
        return self.submit_document(
            JSON_LISTINGS_FEED,
            marketplace_id,
            document_bytes(document),
            LISTINGS_FEED_CONTENT_TYPE,
        )

    def processing_report(self, result_document_id):
        """The parsed processing report of a finished feed."""
        document = self.get_document(result_document_id)
        data = self.download(document["url"], document.get("compressionAlgorithm"))
        return parse_processing_report(data)
