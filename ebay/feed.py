"""Sell Feed API v1: large catalogues in a handful of calls.

Two flows (EBAY_FACTS §6):

* Download: ``create_inventory_task`` (LMS_ACTIVE_INVENTORY_REPORT), poll
  ``get_inventory_task`` until it is done, then ``get_result_file``:
  :func:`parse_active_inventory_report` gives the price and quantity of every
  live listing.
* Upload: ``create_task`` (an LMS feed type), ``upload_file`` (the XML of
  :func:`end_items_document` or :func:`revise_inventory_status_document`),
  poll ``get_task``, then ``get_result_file``: :func:`parse_responses` gives
  each request's outcome by the MessageID it was sent with.

Every create answers 202 with the task's URL in ``Location`` and no body;
:func:`task_id_from_location` reads the id.  Result files are zipped XML
(:func:`unzip`).  A create whose answer was lost may have made a task:
``find_tasks`` lists the tasks of a feed type created in a time window, so
the caller can adopt the one it made instead of creating a second.
"""

import io
import zipfile
from datetime import UTC
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from .paths import path_segment

BASE = "/sell/feed/v1"
NS = "urn:ebay:apis:eBLBaseComponents"
ACTIVE_INVENTORY_REPORT = "LMS_ACTIVE_INVENTORY_REPORT"
END_FIXED_PRICE_ITEM = "LMS_END_FIXED_PRICE_ITEM"
REVISE_INVENTORY_STATUS = "LMS_REVISE_INVENTORY_STATUS"
# The schema version of the LMS XML payloads (the Trading API's version).
LMS_SCHEMA_VERSION = "1355"
REPORT_SCHEMA_VERSION = "1.0"
# What eBay's FeedStatusEnum calls a task that will not move any more.
DONE_STATUSES = ("COMPLETED", "COMPLETED_WITH_ERROR", "PARTIALLY_PROCESSED", "FAILED")
RESULT_STATUSES = ("COMPLETED", "COMPLETED_WITH_ERROR", "PARTIALLY_PROCESSED")
# ReviseInventoryStatus takes up to four listings per request.
INVENTORY_STATUS_PER_REQUEST = 4


def task_id_from_location(location):
    """The task id at the end of a create's ``Location`` header."""
    return (location or "").rstrip("/").rsplit("/", 1)[-1] or None


def ebay_datetime(moment):
    """A ``datetime`` (naive = UTC) as eBay's filters write it."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class FeedApi:
    """Thin wrappers: one method per eBay operation, data in, data out."""

    def __init__(self, client):
        self.client = client

    def _call(self, method, path, operation, **kwargs):
        return self.client.request(method, BASE + path, operation=operation, **kwargs)

    # -- inventory tasks (reports) ----------------------------------------------
    def create_inventory_task(self, feed_type=ACTIVE_INVENTORY_REPORT):
        """Ask for a report; return the new task's id."""
        response = self._call(
            "POST",
            "/inventory_task",
            "createInventoryTask",
            json={"feedType": feed_type, "schemaVersion": REPORT_SCHEMA_VERSION},
        )
        return task_id_from_location(response.headers.get("Location"))

    def get_inventory_task(self, task_id):
        return self._call(
            "GET",
            f"/inventory_task/{path_segment(task_id, 'task id')}",
            "getInventoryTask",
        ).data

    # -- upload tasks -------------------------------------------------------------
    def create_task(self, feed_type, schema_version=LMS_SCHEMA_VERSION):
        """Create an upload task; return its id."""
        response = self._call(
            "POST",
            "/task",
            "createTask",
            json={"feedType": feed_type, "schemaVersion": schema_version},
        )
        return task_id_from_location(response.headers.get("Location"))

    def upload_file(self, task_id, filename, content, content_type="text/xml"):
        """Send the task's data file (multipart/form-data, key ``file``)."""
        return self._call(
            "POST",
            f"/task/{path_segment(task_id, 'task id')}/upload_file",
            "uploadFile",
            files={"file": (filename, content, content_type)},
        ).data

    def get_task(self, task_id):
        return self._call(
            "GET", f"/task/{path_segment(task_id, 'task id')}", "getTask"
        ).data

    def get_result_file(self, task_id):
        """The result file's bytes (an upload task's or a report's)."""
        return self._call(
            "GET",
            f"/task/{path_segment(task_id, 'task id')}/download_result_file",
            "getResultFile",
            headers={"Accept": "application/octet-stream"},
        ).content

    # -- finding a task again ------------------------------------------------------
    def find_tasks(self, feed_type, created_from, created_to, limit=50):
        """Tasks of ``feed_type`` created in [from, to] (datetimes, UTC),
        oldest first: getInventoryTasks for the report, getTasks otherwise."""
        inventory = feed_type == ACTIVE_INVENTORY_REPORT
        params = {
            "feed_type": feed_type,
            "date_range": f"{ebay_datetime(created_from)}..{ebay_datetime(created_to)}",
            "limit": str(limit),
            "offset": "0",
        }
        found = []
        while True:
            data = (
                self._call(
                    "GET",
                    "/inventory_task" if inventory else "/task",
                    "getInventoryTasks" if inventory else "getTasks",
                    params=params,
                ).data
                or {}
            )
            found.extend(data.get("tasks") or [])
            if not data.get("next") or not data.get("tasks"):
                return found
            params = dict(params, offset=str(int(params["offset"]) + limit))


# -- files ------------------------------------------------------------------------
def unzip(content):
    """The XML inside a result file (zipped, or already plain)."""
    if content[:2] != b"PK":
        return content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = [n for n in archive.namelist() if not n.endswith("/")]
        return archive.read(names[0]) if names else b""


def _document(requests_xml):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<BulkDataExchangeRequests xmlns="{NS}">'
        f"<Header><Version>{LMS_SCHEMA_VERSION}</Version></Header>"
        + "".join(requests_xml)
        + "</BulkDataExchangeRequests>"
    ).encode()


def end_items_document(items, reason="NotAvailable"):
    """An LMS_END_FIXED_PRICE_ITEM file: ``items`` are ``(message_id,
    item_id, sku)``; eBay answers each request under its MessageID."""
    return _document(
        f"<EndFixedPriceItemRequest><MessageID>{escape(str(message_id))}</MessageID>"
        f"<Version>{LMS_SCHEMA_VERSION}</Version>"
        f"<EndingReason>{escape(reason)}</EndingReason>"
        + (f"<ItemID>{escape(item_id)}</ItemID>" if item_id else "")
        + (f"<SKU>{escape(sku)}</SKU>" if sku and not item_id else "")
        + "</EndFixedPriceItemRequest>"
        for message_id, item_id, sku in items
    )


def revise_inventory_status_document(items):
    """An LMS_REVISE_INVENTORY_STATUS file: ``items`` are ``(message_id,
    item_id, sku, price, quantity)``, one request each (so each listing has
    its own outcome); price or quantity None leaves it as it is."""
    parts = []
    for message_id, item_id, sku, price, quantity in items:
        status = f"<ItemID>{escape(item_id)}</ItemID>" if item_id else ""
        status += f"<SKU>{escape(sku)}</SKU>" if sku else ""
        if price is not None:
            status += f"<StartPrice>{float(price):.2f}</StartPrice>"
        if quantity is not None:
            status += f"<Quantity>{int(quantity)}</Quantity>"
        parts.append(
            f"<ReviseInventoryStatusRequest><MessageID>{escape(str(message_id))}"
            f"</MessageID><Version>{LMS_SCHEMA_VERSION}</Version>"
            f"<InventoryStatus>{status}</InventoryStatus>"
            "</ReviseInventoryStatusRequest>"
        )
    return _document(parts)


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _text(element, name):
    for child in element:
        if _local(child.tag) == name:
            return (child.text or "").strip()
    return None


def parse_active_inventory_report(content):
    """Every live listing of an Active Inventory Report (zipped or plain
    XML): a list of ``{"sku", "item_id", "price", "currency", "quantity"}``
    (one SKU may be listed on several marketplaces: the item id tells them
    apart)."""
    root = ElementTree.fromstring(unzip(content))
    rows = []
    for details in root.iter(f"{{{NS}}}SKUDetails"):
        price = next((c for c in details if _local(c.tag) == "Price"), None)
        quantity = _text(details, "Quantity")
        rows.append(
            {
                "sku": _text(details, "SKU"),
                "item_id": _text(details, "ItemID"),
                "price": float(price.text)
                if price is not None and price.text
                else None,
                "currency": price.get("currencyID") if price is not None else None,
                "quantity": int(quantity) if quantity not in (None, "") else None,
            }
        )
    return rows


def parse_responses(content):
    """``{correlation id: {"ok", "errors": [{"code", "message"}]}}`` of an
    upload task's result file: one entry per request that carried a
    MessageID."""
    root = ElementTree.fromstring(unzip(content))
    results = {}
    for response in root:
        correlation = _text(response, "CorrelationID")
        if not correlation:
            continue
        errors = [
            {
                "code": _text(entry, "ErrorCode"),
                "message": _text(entry, "LongMessage") or _text(entry, "ShortMessage"),
                "severity": _text(entry, "SeverityCode"),
            }
            for entry in response
            if _local(entry.tag) == "Errors"
        ]
        ack = _text(response, "Ack") or ""
        results[correlation] = {
            "ok": ack in ("Success", "Warning"),
            "errors": [e for e in errors if e["severity"] != "Warning"],
        }
    return results
