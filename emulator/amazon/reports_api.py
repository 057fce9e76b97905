"""Reports API 2021-06-30: the merchant listings report.

createReport (GET_MERCHANT_LISTINGS_ALL_DATA, or GET_MERCHANT_LISTINGS_DATA
for active listings only) answers 202; the report is IN_QUEUE, then
IN_PROGRESS, each for half of ``report_seconds`` on the emulator clock
(looked at lazily, whenever a call or the control API looks), then DONE with
a document built from the listings store at that moment (the report is a
snapshot, as Amazon's is).  getReportDocument hands out a presigned URL to
the gzip tab-separated text.

The columns are those of Amazon's "All Listings Report", as third-party
parsers and sample files show them (the official report-type page lists the
type but not its columns in the stored docs) [UNCONFIRMED in detail: the
business/quantity price columns some marketplaces add are left out, and the
date format of ``open-date`` differs per marketplace in samples
("08/07/2016 10:12:40 BST" on UK files); the emulator writes
"YYYY-MM-DD HH:MM:SS UTC"].  Values are UTF-8 [UNCONFIRMED: older files came
in the marketplace's legacy code page] and the document is gzip with
compressionAlgorithm GZIP [UNCONFIRMED for this report type; a client
must handle both].
"""

import datetime
import gzip
import hashlib
import secrets

from . import documents, listings_store
from .feeds_api import advance as _advance_feeds
from .feeds_api import error, invalid_input, iso, owned, seller_of
from .routes import route

REPORTS = "/reports/2021-06-30"
REPORT_TYPES = ("GET_MERCHANT_LISTINGS_ALL_DATA", "GET_MERCHANT_LISTINGS_DATA")
REPORT_CONTENT_TYPE = "text/tab-separated-values;charset=UTF-8"  # [UNCONFIRMED]
COLUMNS = (
    "item-name",
    "item-description",
    "listing-id",
    "seller-sku",
    "price",
    "quantity",
    "open-date",
    "image-url",
    "item-is-marketplace",
    "product-id-type",
    "zshop-shipping-fee",
    "item-note",
    "item-condition",
    "zshop-category1",
    "zshop-browse-path",
    "zshop-storefront-feature",
    "asin1",
    "asin2",
    "asin3",
    "will-ship-internationally",
    "expedited-shipping",
    "zshop-boldface",
    "product-id",
    "bid-for-featured-placement",
    "add-delete",
    "pending-quantity",
    "fulfillment-channel",
    "merchant-shipping-group",
    "status",
)
# product-id-type codes of the flat files (1 ASIN, 2 ISBN, 3 UPC, 4 EAN);
# GTIN-13 is an EAN [UNCONFIRMED for gtin].
PRODUCT_ID_TYPES = {"asin": "1", "isbn": "2", "upc": "3", "ean": "4", "gtin": "4"}
# item-condition codes of the flat files (11 is New).
CONDITIONS = {
    "used_like_new": "1",
    "used_very_good": "2",
    "used_good": "3",
    "used_acceptable": "4",
    "collectible_like_new": "5",
    "collectible_very_good": "6",
    "collectible_good": "7",
    "collectible_acceptable": "8",
    "refurbished": "10",
    "new_new": "11",
}


def reports(state):
    return state.data.setdefault("reports", {})


def advance(state, now_all=False):
    """Move every report along the emulator clock: IN_QUEUE for the first
    half of ``report_seconds``, IN_PROGRESS for the second, then DONE (all
    to the end at once with ``now_all``)."""
    with state.lock:
        now = state.now()
        seconds = float(state.config.get("report_seconds", 1))
        for report in sorted(reports(state).values(), key=lambda r: r["created"]):
            if report["processingStatus"] == "IN_QUEUE":
                start = report["created"] + seconds / 2
                if now_all or now >= start:
                    report["processingStatus"] = "IN_PROGRESS"
                    report["started"] = min(start, now)
            if report["processingStatus"] == "IN_PROGRESS":
                end = report["created"] + seconds
                if now_all or now >= end:
                    _finish(state, report, max(report["started"], min(end, now)))


def _finish(state, report, when):
    # Feeds due by now land first: the report sees what they wrote.
    _advance_feeds(state)
    listings_store.apply_due(state)
    text = merchant_listings(
        state,
        report["seller_id"],
        report["marketplaceIds"][0],
        active_only=report["reportType"] == "GET_MERCHANT_LISTINGS_DATA",
    )
    doc = documents.new_document(
        state,
        report["seller_id"],
        "report",
        REPORT_CONTENT_TYPE,
        content=gzip.compress(text.encode("utf-8")),
        compression="GZIP",
    )
    report.update(
        processingStatus="DONE", ended=when, reportDocumentId=doc["document_id"]
    )


def report_view(report):
    view = {
        "reportId": report["reportId"],
        "reportType": report["reportType"],
        "marketplaceIds": list(report["marketplaceIds"]),
        "createdTime": iso(report["created"]),
        "processingStatus": report["processingStatus"],
        "dataStartTime": iso(report["created"]),
        "dataEndTime": iso(report["created"]),
    }
    if report.get("started") is not None:
        view["processingStartTime"] = iso(report["started"])
    if report.get("ended") is not None:
        view["processingEndTime"] = iso(report["ended"])
    if report.get("reportDocumentId"):
        view["reportDocumentId"] = report["reportDocumentId"]
    return view


@route("POST", f"{REPORTS}/reports", auth="seller")
def create_report(req):
    state = req.state
    spec = req.json if isinstance(req.json, dict) else {}
    seller_id = seller_of(req)
    report_type = spec.get("reportType")
    marketplace_ids = spec.get("marketplaceIds") or []
    if report_type not in REPORT_TYPES:
        return invalid_input(
            "Invalid input",
            f"The emulator serves {' and '.join(REPORT_TYPES)}, not {report_type}.",
        )
    if len(marketplace_ids) != 1:
        # [UNCONFIRMED] The listings report has no marketplace column, so the
        # emulator takes one marketplace per report (the safe side).
        return invalid_input(
            "Invalid input", "A merchant listings report covers one marketplace."
        )
    with state.lock:
        seller = state.sellers.get(seller_id) or {}
        if marketplace_ids[0] not in seller.get("marketplaces", ()):
            return invalid_input(
                "Invalid 'marketplaceIds' provided.",
                f"The seller does not participate in {marketplace_ids[0]}.",
            )
        counter = (
            state.data.get("report_counter", 60000000000) + secrets.randbelow(9) + 1
        )
        state.data["report_counter"] = counter
        report = {
            "reportId": str(counter),
            "reportType": report_type,
            "marketplaceIds": list(marketplace_ids),
            "created": state.now(),
            "processingStatus": "IN_QUEUE",
            "seller_id": seller_id,
        }
        reports(state)[report["reportId"]] = report
    return 202, {"reportId": report["reportId"]}, {}


@route("GET", f"{REPORTS}/reports/{{reportId}}", auth="seller")
def get_report(req):
    advance(req.state)
    with req.state.lock:
        report = owned(reports(req.state), req.params["reportId"], req)
        if report is None:
            return error(404, "NotFound", "The requested report was not found.")
        return 200, report_view(report), {}


@route("GET", f"{REPORTS}/documents/{{reportDocumentId}}", auth="seller")
def get_report_document(req):
    advance(req.state)
    doc = documents.find_document(
        req.state, req.params["reportDocumentId"], seller_of(req), ("report",)
    )
    if doc is None:
        return error(404, "NotFound", "The requested report document was not found.")
    return 200, documents.document_answer(req, doc, "reportDocumentId"), {}


# -- the merchant listings report ----------------------------------------------------
def merchant_listings(state, seller_id, marketplace_id, active_only=False):
    """The tab-separated report of the seller's listings in one marketplace."""
    rows = ["\t".join(COLUMNS)]
    with state.lock:
        listings = list(listings_store.seller_listings(state, seller_id).values())
    for listing in sorted(listings, key=lambda entry: entry["sku"]):
        row = listing_row(listing, marketplace_id)
        if row is None or (active_only and row["status"] != "Active"):
            continue
        rows.append("\t".join(_cell(row.get(column, "")) for column in COLUMNS))
    return "\n".join(rows) + "\n"


def _cell(value):
    return str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _value(attributes, name, marketplace_id, key="value"):
    """The first value of attribute ``name`` for ``marketplace_id`` (an entry
    without marketplace_id applies everywhere)."""
    for entry in attributes.get(name) or []:
        if not isinstance(entry, dict):
            continue
        if entry.get("marketplace_id") not in (None, marketplace_id):
            continue
        if key in entry:
            return entry[key]
    return None


def _price(attributes, marketplace_id):
    for offer in attributes.get("purchasable_offer") or []:
        if offer.get("marketplace_id") not in (None, marketplace_id):
            continue
        for price in offer.get("our_price") or []:
            for schedule in price.get("schedule") or []:
                value = schedule.get("value_with_tax")
                if value is not None:
                    try:
                        return f"{float(value):.2f}"
                    except (TypeError, ValueError):
                        return str(value)
    return ""


def _fulfillment(attributes):
    """``(fulfillment-channel, quantity)``: DEFAULT is the seller's own
    (merchant-fulfilled) channel; Amazon's channels carry no quantity here."""
    for entry in attributes.get("fulfillment_availability") or []:
        code = entry.get("fulfillment_channel_code") or "DEFAULT"
        if code == "DEFAULT":
            return "DEFAULT", entry.get("quantity", "")
        return code, ""
    return "DEFAULT", ""


def listing_id(sku, opened):
    """A stable listing id in Amazon's shape (MMDD + 7 characters)."""
    digest = hashlib.sha1(sku.encode()).hexdigest().upper()
    return opened.strftime("%m%d") + digest[:7]


def _moment(text):
    """The store's ISO time (``...Z``) as a datetime (the epoch if none)."""
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return datetime.datetime.fromtimestamp(0, datetime.timezone.utc)


def listing_row(listing, marketplace_id):
    """One report row (column -> value) of ``listing`` in ``marketplace_id``,
    or None when it is not listed there."""
    place = listing["marketplaces"].get(marketplace_id)
    if place is None:
        return None
    # The attributes as they apply in this marketplace.
    attributes = listings_store.attributes_for(listing["attributes"], [marketplace_id])
    identifier = None
    for entry in attributes.get("externally_assigned_product_identifier") or []:
        identifier = entry
        break
    asin = place.get("asin") or ""
    channel, quantity = _fulfillment(attributes)
    statuses = place.get("status") or []
    issues = (place.get("issues") or []) + (place.get("raised") or [])
    if "BUYABLE" in statuses:
        status = "Active"
    elif any(issue.get("severity") == "ERROR" for issue in issues):
        status = (
            "Incomplete"  # [UNCONFIRMED] how Amazon names a listing kept off by errors
        )
    else:
        status = "Inactive"
    opened = _moment(place.get("createdDate") or listing.get("createdDate"))
    condition = _value(attributes, "condition_type", marketplace_id)
    return {
        "item-name": _value(attributes, "item_name", marketplace_id) or "",
        "item-description": _value(attributes, "product_description", marketplace_id)
        or "",
        "listing-id": listing_id(listing["sku"], opened),
        "seller-sku": listing["sku"],
        "price": _price(attributes, marketplace_id),
        "quantity": quantity,
        "open-date": opened.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "item-is-marketplace": "y",
        "product-id-type": PRODUCT_ID_TYPES.get(
            (identifier or {}).get("type", "asin" if asin else ""), ""
        ),
        "item-condition": CONDITIONS.get(condition, ""),
        "asin1": asin,
        "product-id": (identifier or {}).get("value") or asin,
        "pending-quantity": "0",
        "fulfillment-channel": channel,
        "merchant-shipping-group": "Migrated Template",
        "status": status,
    }
