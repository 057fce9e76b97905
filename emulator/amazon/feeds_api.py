"""Feeds API 2021-06-30 with JSON_LISTINGS_FEED.

createFeedDocument answers 201 with a presigned upload URL
(``documents.py``); createFeed answers 202 once the document is uploaded;
the feed then walks IN_QUEUE -> IN_PROGRESS -> DONE/FATAL on the emulator
clock (``feed_queue_seconds`` in the queue, ``feed_processing_seconds`` in
progress), lazily: whenever a call or the control API looks
(:func:`advance`).  cancelFeed works while the feed is IN_QUEUE.  The
processing itself is ``feed_processing.py``; its gzip report is a document
getFeedDocument hands out.

Amazon's rules kept here, with their sources (shared/AMAZON_FACTS.md §7):

* one marketplace per JSON_LISTINGS_FEED: more answer 400 "Too many
  'marketplaceIds' values provided. Expected a maximum of 1." (users'
  reports and Amazon staff; the model still says 1..25);
* 5 JSON_LISTINGS_FEED submissions per 5 minutes per seller and region
  (changelog 2025-05-06), else 429 QuotaExceeded: the bucket of
  ``rates.take_listings_feed``, taken once a submission is otherwise
  acceptable [UNCONFIRMED whether Amazon counts refused submissions; here
  they do not];
* the legacy XML and flat-file listings feeds end FATAL since 2025-07-31.
"""

import base64
import datetime
import gzip
import json
import secrets

from . import documents, errors, feed_processing, rates
from .routes import route

FEEDS = "/feeds/2021-06-30"
JSON_LISTINGS_FEED = "JSON_LISTINGS_FEED"
# "Starting July 31, 2025, the Feeds API no longer supports legacy XML and
# flat file listing feeds ... Developers will receive fatal processingStatus"
LEGACY_LISTINGS_FEEDS = frozenset(
    {
        "POST_PRODUCT_DATA",
        "POST_INVENTORY_AVAILABILITY_DATA",
        "POST_PRODUCT_PRICING_DATA",
        "POST_PRODUCT_RELATIONSHIP_DATA",
        "POST_PRODUCT_IMAGE_DATA",
        "POST_PRODUCT_OVERRIDES_DATA",
        "POST_FLAT_FILE_LISTINGS_DATA",
        "POST_FLAT_FILE_INVLOADER_DATA",
        "POST_FLAT_FILE_PRICEANDQUANTITYONLY_UPDATE_DATA",
    }
)
REPORT_CONTENT_TYPE = "application/json"  # [UNCONFIRMED] the report object's type


# -- answers -----------------------------------------------------------------------
def error(status, code, message, details=None):
    return status, errors.errors(code, message, details), {}


def invalid_input(message, details=None):
    return 400, errors.invalid_input(message, details), {}


def iso(timestamp):
    """ISO 8601 with milliseconds and Z, as Amazon's examples write times."""
    moment = datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_time(text):
    """An ISO 8601 date-time as a timestamp, or None."""
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp()


def seller_of(req):
    return (req.token or {}).get("seller_id")


def feeds(state):
    """``{feed_id: feed}`` (under ``state.lock``)."""
    return state.data.setdefault("feeds", {})


def _new_feed_id(state):
    counter = state.data.get("feed_counter", 50000000000)
    state.data["feed_counter"] = counter + secrets.randbelow(9) + 1
    return str(state.data["feed_counter"])


def feed_view(feed):
    """A feed as getFeed answers it (only the model's properties)."""
    view = {
        "feedId": feed["feedId"],
        "feedType": feed["feedType"],
        "marketplaceIds": list(feed["marketplaceIds"]),
        "createdTime": iso(feed["created"]),
        "processingStatus": feed["processingStatus"],
    }
    if feed.get("started") is not None:
        view["processingStartTime"] = iso(feed["started"])
    if feed.get("ended") is not None:
        view["processingEndTime"] = iso(feed["ended"])
    if feed.get("resultFeedDocumentId"):
        view["resultFeedDocumentId"] = feed["resultFeedDocumentId"]
    return view


# -- the clock ---------------------------------------------------------------------
def advance(state, now_all=False):
    """Move every feed as far as the emulator clock says it has got (all of
    them to the end at once with ``now_all``), oldest first."""
    with state.lock:
        now = state.now()
        queue = float(state.config.get("feed_queue_seconds", 1))
        processing = float(state.config.get("feed_processing_seconds", 1))
        for feed in sorted(feeds(state).values(), key=lambda f: f["created"]):
            if feed["processingStatus"] == "IN_QUEUE":
                start = feed["created"] + queue
                if now_all or now >= start:
                    feed["processingStatus"] = "IN_PROGRESS"
                    feed["started"] = min(start, now)
            if feed["processingStatus"] == "IN_PROGRESS":
                end = feed["started"] + processing
                if now_all or now >= end:
                    _finish(state, feed, min(end, now))


def _finish(state, feed, when):
    content = feed.pop("content", b"")
    if feed["feedType"] != JSON_LISTINGS_FEED:
        # A legacy listings feed: refused as a whole, no report.
        feed.update(processingStatus="FATAL", ended=when, messages=[])
        return
    status, report, messages = feed_processing.process(state, feed, content)
    feed_processing.check_report(state, feed, report)
    payload = gzip.compress(json.dumps(report).encode("utf-8"))
    doc = documents.new_document(
        state,
        feed["seller_id"],
        "feed_result",
        REPORT_CONTENT_TYPE,
        content=payload,
        compression="GZIP",
    )
    feed.update(
        processingStatus=status,
        ended=when,
        resultFeedDocumentId=doc["document_id"],
        messages=messages,
        report=report,
    )


# -- documents ---------------------------------------------------------------------
@route("POST", f"{FEEDS}/documents", auth="seller")
def create_feed_document(req):
    content_type = (req.json or {}).get("contentType")
    if not isinstance(content_type, str) or not content_type.strip():
        return invalid_input("Invalid input", "contentType is required.")
    doc = documents.new_document(
        req.state, seller_of(req), "feed_input", content_type.strip()
    )
    url = documents.presigned_url(req.state, req.base_url, doc, "PUT")
    return 201, {"feedDocumentId": doc["document_id"], "url": url}, {}


@route("GET", f"{FEEDS}/documents/{{feedDocumentId}}", auth="seller")
def get_feed_document(req):
    advance(req.state)
    doc = documents.find_document(
        req.state,
        req.params["feedDocumentId"],
        seller_of(req),
        ("feed_input", "feed_result"),
    )
    if doc is None:
        return error(404, "NotFound", "The requested feed document was not found.")
    return 200, documents.document_answer(req, doc, "feedDocumentId"), {}


# -- feeds -------------------------------------------------------------------------
@route("POST", f"{FEEDS}/feeds", auth="seller")
def create_feed(req):
    state = req.state
    spec = req.json if isinstance(req.json, dict) else {}
    seller_id = seller_of(req)
    feed_type = spec.get("feedType")
    marketplace_ids = spec.get("marketplaceIds") or []
    doc_id = spec.get("inputFeedDocumentId")
    if feed_type != JSON_LISTINGS_FEED and feed_type not in LEGACY_LISTINGS_FEEDS:
        return invalid_input(
            "Invalid request parameters",
            f"The emulator serves JSON_LISTINGS_FEED only, not {feed_type}.",
        )
    if feed_type == JSON_LISTINGS_FEED and len(marketplace_ids) > 1:
        return invalid_input(
            "Too many 'marketplaceIds' values provided. Expected a maximum of 1."
        )
    with state.lock:
        seller = state.sellers.get(seller_id) or {}
        unknown = [
            m for m in marketplace_ids if m not in seller.get("marketplaces", ())
        ]
        if unknown:
            # [UNCONFIRMED] Amazon's words for a marketplace the seller does
            # not sell in.
            return invalid_input(
                "Invalid 'marketplaceIds' provided.",
                f"The seller does not participate in {', '.join(unknown)}.",
            )
        doc = documents.find_document(state, doc_id, seller_id, ("feed_input",))
        if doc is None or doc["content"] is None:
            return invalid_input(
                "Invalid input",
                "inputFeedDocumentId names no uploaded feed document of this seller.",
            )
        if state.now() - doc["created"] > documents.INPUT_DOCUMENT_TTL:
            return invalid_input(
                "Invalid input", "The feed document has expired (two days)."
            )
        if feed_type == JSON_LISTINGS_FEED and not rates.take_listings_feed(
            state, seller_id, seller.get("region")
        ):
            return 429, errors.quota_exceeded(), {}
        feed = {
            "feedId": _new_feed_id(state),
            "feedType": feed_type,
            "marketplaceIds": list(marketplace_ids),
            "created": state.now(),
            "processingStatus": "IN_QUEUE",
            "seller_id": seller_id,
            "region": seller.get("region"),
            "inputFeedDocumentId": doc["document_id"],
            # The bytes as they were at submission: a later PUT to the same
            # URL does not change a submitted feed.
            "content": doc["content"],
        }
        feeds(state)[feed["feedId"]] = feed
    return 202, {"feedId": feed["feedId"]}, {}


def owned(table, record_id, req):
    """The caller's own record ``record_id`` of ``table`` (a feed, a
    report), or None: another seller's is not found either."""
    record = table.get(record_id)
    if record is None or record["seller_id"] != seller_of(req):
        return None
    return record


@route("GET", f"{FEEDS}/feeds/{{feedId}}", auth="seller")
def get_feed(req):
    advance(req.state)
    with req.state.lock:
        feed = owned(feeds(req.state), req.params["feedId"], req)
        if feed is None:
            return error(404, "NotFound", "The requested feed was not found.")
        return 200, feed_view(feed), {}


@route("DELETE", f"{FEEDS}/feeds/{{feedId}}", auth="seller")
def cancel_feed(req):
    advance(req.state)
    with req.state.lock:
        feed = owned(feeds(req.state), req.params["feedId"], req)
        if feed is None:
            return error(404, "NotFound", "The requested feed was not found.")
        if feed["processingStatus"] != "IN_QUEUE":
            # The model: "Only feeds with processingStatus=IN_QUEUE can be
            # cancelled."
            return invalid_input(
                "Invalid input",
                f"The feed is {feed['processingStatus']}: only feeds IN_QUEUE "
                "can be cancelled.",
            )
        feed.pop("content", None)
        feed.update(processingStatus="CANCELLED", ended=req.state.now(), messages=[])
    return 200, None, {}


@route("GET", f"{FEEDS}/feeds", auth="seller")
def get_feeds(req):
    state = req.state
    advance(state)
    query = req.query
    seller_id = seller_of(req)
    with state.lock:
        tokens = state.data.setdefault("feed_page_tokens", {})
        if "nextToken" in query:
            if set(query) - {"nextToken"}:
                return invalid_input(
                    "Invalid input",
                    "nextToken must be the only parameter of a next page.",
                )
            page = tokens.get(query["nextToken"])
            if page is None or page["seller_id"] != seller_id:
                return invalid_input("Invalid input", "Invalid nextToken.")
            filters, offset = page["filters"], page["offset"]
        else:
            if not query.get("feedTypes"):
                return invalid_input(
                    "Invalid input", "Either feedTypes or nextToken is required."
                )
            filters, offset = dict(query), 0
        found = _filtered(state, seller_id, filters)
        if found is None:
            return invalid_input(
                "Invalid input", "Invalid createdSince or createdUntil."
            )
        size = int(filters.get("pageSize") or 10)
        answer = {"feeds": [feed_view(f) for f in found[offset : offset + size]]}
        if offset + size < len(found):
            token = base64.urlsafe_b64encode(secrets.token_bytes(24)).decode()
            tokens[token] = {
                "seller_id": seller_id,
                "filters": filters,
                "offset": offset + size,
            }
            answer["nextToken"] = token
    return 200, answer, {}


def _filtered(state, seller_id, filters):
    """The seller's feeds matching getFeeds' filters, newest first (None
    when a date does not parse)."""
    types = set(filters["feedTypes"].split(","))
    statuses = set(filters.get("processingStatuses", "").split(",")) - {""}
    marketplaces = set(filters.get("marketplaceIds", "").split(",")) - {""}
    now = state.now()
    # "The default is 90 days ago. Feeds are retained for a maximum of 90 days."
    since = (
        parse_time(filters["createdSince"])
        if "createdSince" in filters
        else now - 90 * 86400
    )
    until = parse_time(filters["createdUntil"]) if "createdUntil" in filters else now
    if since is None or until is None:
        return None
    found = [
        feed
        for feed in feeds(state).values()
        if feed["seller_id"] == seller_id
        and feed["feedType"] in types
        and (not statuses or feed["processingStatus"] in statuses)
        and (not marketplaces or marketplaces & set(feed["marketplaceIds"]))
        and since <= feed["created"] <= until
    ]
    return sorted(found, key=lambda f: f["created"], reverse=True)
