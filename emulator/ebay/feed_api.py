"""Sell Feed API: inventory tasks (the Active Inventory Report) and upload
tasks (LMS revise and end feeds), asynchronous, with zipped result files.

A task walks eBay's statuses: an upload task is CREATED until its file comes
(``uploadFile``, multipart/form-data, key ``file``, XML or zipped XML); then
every task is QUEUED, IN_PROCESS and finally COMPLETED, COMPLETED_WITH_ERROR
(some records failed: the result file says which) or FAILED (nothing could
be processed).  A task moves one step every ``feed_step_seconds`` of the
emulator clock or every ``feed_polls_per_step`` reads of it (getTask,
getInventoryTask), whichever comes first (``POST /_emulator/config``).

The work is done when the task completes, as eBay does it then:

* LMS_ACTIVE_INVENTORY_REPORT lists the seller's live listings at that
  moment (``ActiveInventoryReport``: SKU, ItemID, Price, Quantity).
* LMS_END_FIXED_PRICE_ITEM ends each ``EndFixedPriceItemRequest``'s listing
  (by ItemID, else SKU), as withdrawOffer does; LMS_REVISE_INVENTORY_STATUS
  applies each ``ReviseInventoryStatusRequest``'s price and quantity (up to
  four InventoryStatus each), counted against the 250 revisions a day.
  Each request gets its own response (Ack Success or Failure with Errors),
  carrying the request's MessageID back as CorrelationID.

The result file (``getResultFile``) is a zip of one XML document,
``BulkDataExchangeResponses``.
"""

import calendar
import io
import itertools
import re
import time
import zipfile
from xml.etree import ElementTree

from ..core.contracts import accepted_body
from . import errors
from .inventory_api import _listing_ids, _offer_ids, count_revision, inv
from .media_api import multipart_parts
from .routes import route

BASE = "/sell/feed/v1"
DOMAIN = "API_FEED"
NS = "urn:ebay:apis:eBLBaseComponents"
REPORT_TYPE = "LMS_ACTIVE_INVENTORY_REPORT"
# Upload feed types the emulator processes, with the request each file holds.
UPLOAD_TYPES = {
    "LMS_END_FIXED_PRICE_ITEM": "EndFixedPriceItemRequest",
    "LMS_REVISE_INVENTORY_STATUS": "ReviseInventoryStatusRequest",
}
# eBay's data-file limits: 15 MB a file, 25 inventory reports a day.
MAX_FILE_BYTES = 15 * 1024 * 1024
REPORTS_PER_DAY = 25
UPLOAD_EXPIRY_SECONDS = 3600
STEPS = ("QUEUED", "IN_PROCESS")
DONE = ("COMPLETED", "COMPLETED_WITH_ERROR", "FAILED")
_task_ids = itertools.count(1)


def feed(state):
    return state.data.setdefault("feed", {"tasks": {}})


def _err(status, error_id, message):
    return status, errors.body(errors.error(error_id, DOMAIN, message)), {}


def _iso(seconds):
    millis = int((seconds % 1) * 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"


def _parse_iso(text):
    match = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,3}))?Z", text)
    if not match:
        return None
    seconds = calendar.timegm(time.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S"))
    return seconds + int((match.group(2) or "0").ljust(3, "0")) / 1000.0


# -- the task's clock --------------------------------------------------------------
def _advance(state, task, polled=False):
    """Move ``task`` on by the clock and its reads; do its work at the end."""
    if task["status"] == "CREATED" or task["status"] in DONE:
        return
    if polled:
        task["polls"] += 1
    seconds = max(float(state.config.get("feed_step_seconds") or 1), 0.001)
    per_step = max(int(state.config.get("feed_polls_per_step") or 1), 1)
    steps = max(
        int((state.now() - task["started"]) // seconds), task["polls"] // per_step
    )
    if steps < len(STEPS):
        task["status"] = STEPS[steps]
        return
    _complete(state, task)


def _complete(state, task):
    if task["feedType"] == REPORT_TYPE:
        document, failed = _active_inventory_report(state), 0
        succeeded = None
    else:
        document, succeeded, failed = _process_upload(state, task)
        task["uploadSummary"] = {"successCount": succeeded, "failureCount": failed}
    if succeeded == 0 and failed == 0:
        task["status"] = "FAILED"
    else:
        task["status"] = "COMPLETED_WITH_ERROR" if failed else "COMPLETED"
        task["result"] = _zip(f"{task['taskId']}-result.xml", document)
    task["completionDate"] = _iso(state.now())


def _zip(name, document):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, document)
    return buffer.getvalue()


def _element(parent, tag, text=None, **attrib):
    child = ElementTree.SubElement(parent, f"{{{NS}}}{tag}", attrib)
    if text is not None:
        child.text = str(text)
    return child


def _document(root):
    ElementTree.register_namespace("", NS)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root)


def _live_offers(state):
    return [
        offer
        for offer in inv(state)["offers"].values()
        if offer.get("status") == "PUBLISHED"
        and offer.get("listingStatus", "ACTIVE") == "ACTIVE"
    ]


def _quantity(state, offer):
    item = inv(state)["items"].get(offer["sku"], {})
    ship = (item.get("availability") or {}).get("shipToLocationAvailability") or {}
    quantity = ship.get("quantity")
    return offer.get("availableQuantity", 0) if quantity is None else quantity


def _active_inventory_report(state):
    root = ElementTree.Element(f"{{{NS}}}BulkDataExchangeResponses")
    report = _element(root, "ActiveInventoryReport")
    _element(report, "Timestamp", _iso(state.now()))
    _element(report, "Ack", "Success")
    _element(report, "Version", "1355")
    for offer in _live_offers(state):
        details = _element(report, "SKUDetails")
        _element(details, "SKU", offer["sku"])
        _element(details, "ItemID", offer["listingId"])
        price = (offer.get("pricingSummary") or {}).get("price") or {}
        _element(
            details,
            "Price",
            price.get("value", "0.0"),
            currencyID=price.get("currency", "USD"),
        )
        _element(details, "Quantity", _quantity(state, offer))
    return _document(root)


# -- upload feeds ------------------------------------------------------------------
def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _child_text(element, name):
    for child in element:
        if _local(child.tag) == name:
            return (child.text or "").strip()
    return None


def _find_offer(state, item_id, sku):
    offers = inv(state)["offers"].values()
    if item_id:
        return next((o for o in offers if o.get("listingId") == item_id), None)
    return next((o for o in offers if o["sku"] == sku and o.get("listingId")), None)


def _failure(response, code, short, long_message=None):
    _element(response, "Ack", "Failure")
    errors_ = _element(response, "Errors")
    _element(errors_, "ShortMessage", short)
    _element(errors_, "LongMessage", long_message or short)
    _element(errors_, "ErrorCode", code)
    _element(errors_, "SeverityCode", "Error")
    _element(errors_, "ErrorClassification", "RequestError")


def _end(state, request, response):
    item_id, sku = _child_text(request, "ItemID"), _child_text(request, "SKU")
    offer = _find_offer(state, item_id, sku)
    if offer is None:
        _failure(
            response,
            17,
            "This item cannot be accessed.",
            "This item cannot be accessed because the listing has been deleted "
            "or you are not the seller.",
        )
        return False
    if offer.get("status") != "PUBLISHED" or offer.get("listingStatus") == "ENDED":
        _failure(response, 1047, "The auction has already been closed.")
        return False
    offer["status"] = "UNPUBLISHED"
    offer["listingStatus"] = "ENDED"
    _element(response, "Ack", "Success")
    _element(response, "EndTime", _iso(state.now()))
    return True


def _revise(state, request, response):
    statuses = [c for c in request if _local(c.tag) == "InventoryStatus"]
    if not statuses or len(statuses) > 4:
        _failure(
            response, 21919300, "Between one and four InventoryStatus are allowed."
        )
        return False
    changes = []
    for status in statuses:
        item_id = _child_text(status, "ItemID")
        sku = _child_text(status, "SKU")
        offer = _find_offer(state, item_id, sku)
        if offer is None:
            _failure(response, 17, "This item cannot be accessed.")
            return False
        if offer.get("status") != "PUBLISHED":
            _failure(response, 291, "You are not allowed to revise ended listings.")
            return False
        problem = count_revision(state, offer)
        if problem:
            _failure(response, 21919189, problem["message"])
            return False
        changes.append((offer, status))
    _element(response, "Ack", "Success")
    for offer, status in changes:
        price = _child_text(status, "StartPrice")
        quantity = _child_text(status, "Quantity")
        if price:
            current = (offer.get("pricingSummary") or {}).get("price") or {}
            offer.setdefault("pricingSummary", {})["price"] = {
                "value": f"{float(price):.2f}",
                "currency": current.get("currency", "USD"),
            }
        if quantity:
            item = inv(state)["items"].get(offer["sku"])
            if item is not None:
                item.setdefault("availability", {})["shipToLocationAvailability"] = {
                    "quantity": int(quantity)
                }
            offer["availableQuantity"] = int(quantity)
        echo = _element(response, "InventoryStatus")
        _element(echo, "ItemID", offer["listingId"])
        _element(echo, "SKU", offer["sku"])
        price = ((offer.get("pricingSummary") or {}).get("price") or {}).get("value")
        if price:
            _element(echo, "StartPrice", price)
        _element(echo, "Quantity", _quantity(state, offer))
    return True


def _process_upload(state, task):
    """Apply each request of the task's file; (document, successes, failures)."""
    wanted = UPLOAD_TYPES[task["feedType"]]
    root = ElementTree.Element(f"{{{NS}}}BulkDataExchangeResponses")
    succeeded = failed = 0
    for raw in task["requests"]:
        request = ElementTree.fromstring(raw)
        kind = _local(request.tag)
        response = _element(root, kind.replace("Request", "Response"))
        _element(response, "Timestamp", _iso(state.now()))
        message_id = _child_text(request, "MessageID")
        if kind != wanted:
            _failure(response, 160020, f"{kind} does not belong in a {wanted} file.")
            ok = False
        elif kind == "EndFixedPriceItemRequest":
            ok = _end(state, request, response)
        else:
            ok = _revise(state, request, response)
        if message_id:
            _element(response, "CorrelationID", message_id)
        _element(response, "Version", "1355")
        succeeded += ok
        failed += not ok
    return _document(root), succeeded, failed


def _read_upload(raw):
    """The file's requests (XML elements), or an error text."""
    if raw[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                names = [n for n in archive.namelist() if not n.endswith("/")]
                if len(names) != 1:
                    return None, "A zipped file must hold exactly one XML file."
                raw = archive.read(names[0])
        except zipfile.BadZipFile:
            return None, "The zipped file cannot be read."
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError as exc:
        return None, f"The file is not well-formed XML ({exc})."
    if _local(root.tag) != "BulkDataExchangeRequests":
        return None, "The file's root element must be BulkDataExchangeRequests."
    return [c for c in root if _local(c.tag).endswith("Request")], None


# -- the API -------------------------------------------------------------------------
def _public(task):
    keep = (
        "taskId",
        "status",
        "feedType",
        "creationDate",
        "completionDate",
        "schemaVersion",
        "detailHref",
        "uploadSummary",
        "filterCriteria",
    )
    return {k: task[k] for k in keep if task.get(k) is not None}


def _new_task(req, kind, body):
    now = req.state.now()
    task_id = f"task-{next(_task_ids)}-{int(now)}"
    resource = "inventory_task" if kind == "inventory" else "task"
    task = {
        "taskId": task_id,
        "kind": kind,
        "status": "QUEUED" if kind == "inventory" else "CREATED",
        "feedType": body["feedType"],
        "schemaVersion": body["schemaVersion"],
        "creationDate": _iso(now),
        "created": now,
        "started": now,
        "polls": 0,
        "detailHref": f"{BASE}/{resource}/{task_id}",
        "marketplaceId": req.headers.get("X-EBAY-C-MARKETPLACE-ID"),
    }
    if body.get("filterCriteria"):
        task["filterCriteria"] = body["filterCriteria"]
    feed(req.state)["tasks"][task_id] = task
    return 202, None, {"Location": f"{req.base_url}{task['detailHref']}"}


def _marketplace_problem(req):
    if not req.headers.get("X-EBAY-C-MARKETPLACE-ID"):
        return _err(
            400, 160027, "The X-EBAY-C-MARKETPLACE-ID header is missing or invalid."
        )
    return None


@route("POST", f"{BASE}/inventory_task")
def create_inventory_task(req):
    body = accepted_body(req)
    if body.get("feedType") != REPORT_TYPE:
        return _err(400, 160017, "The 'feedType' is missing or invalid.")
    if body.get("schemaVersion") != "1.0":
        return _err(400, 160018, "The 'schemaVersion' is invalid.")
    # The contract does not declare the marketplace header here (createTask
    # requires it): the report covers every marketplace of the seller.
    with req.state.lock:
        day_ago = req.state.now() - 86400
        today = [
            t
            for t in feed(req.state)["tasks"].values()
            if t["kind"] == "inventory" and t["created"] > day_ago
        ]
        if len(today) >= REPORTS_PER_DAY:
            return _err(
                409,
                160025,
                "You have exceeded the maximum number of records or tasks that "
                "can be created or processed in the period (hourly or daily).",
            )
        return _new_task(req, "inventory", body)


@route("POST", f"{BASE}/task")
def create_task(req):
    body = accepted_body(req)
    if body.get("feedType") == REPORT_TYPE:
        return _err(
            400,
            160030,
            f"This resource is not applicable for the feed type {REPORT_TYPE}.",
        )
    if body.get("feedType") not in UPLOAD_TYPES:
        return _err(400, 160017, "The 'feedType' is missing or invalid.")
    if not body.get("schemaVersion"):
        return _err(400, 160018, "The 'schemaVersion' is invalid.")
    problem = _marketplace_problem(req)
    if problem:
        return problem
    with req.state.lock:
        return _new_task(req, "upload", body)


def _get(req, kind):
    with req.state.lock:
        task = feed(req.state)["tasks"].get(req.params["task_id"])
        if task is None or task["kind"] != kind:
            return _err(404, 160003, f"Task {req.params['task_id']} does not exist.")
        _advance(req.state, task, polled=True)
        return 200, _public(task), {}


@route("GET", f"{BASE}/inventory_task/{{task_id}}")
def get_inventory_task(req):
    return _get(req, "inventory")


@route("GET", f"{BASE}/task/{{task_id}}")
def get_task(req):
    return _get(req, "upload")


def _search(req, kind):
    query = req.query
    feed_type = query.get("feed_type")
    if query.get("schedule_id") and feed_type:
        return _err(
            400,
            160005,
            "Both 'feed_type' and 'schedule_id' were provided. Please remove one "
            "of them.",
        )
    if not feed_type:
        return _err(
            400, 160004, "You must submit either a 'feed_type' or 'schedule_id'."
        )
    if query.get("date_range") and query.get("look_back_days"):
        return _err(
            400,
            160008,
            "Both 'look_back_days' and 'date_range' were provided. Please remove "
            "one of them.",
        )
    try:
        limit = int(query.get("limit") or 10)
        offset = int(query.get("offset") or 0)
        days = int(query.get("look_back_days") or 7)
    except ValueError:
        return _err(400, 160012, "The 'limit' value must be between 1 and 500.")
    if not 1 <= limit <= 500:
        return _err(
            400,
            160012,
            "The 'limit' value must be greater than zero and less than or equal "
            "to 500.",
        )
    if offset < 0:
        return _err(400, 160013, "The 'offset' value cannot be less than zero.")
    if not 1 <= days <= 90:
        return _err(
            400,
            160011,
            "The 'look_back_days' value must be greater than zero and less than or "
            "equal to 90.",
        )
    now = req.state.now()
    start, end = now - days * 86400, now
    if query.get("date_range"):
        bounds = query["date_range"].split("..")
        parsed = [_parse_iso(b) for b in bounds] if len(bounds) == 2 else [None]
        if None in parsed:
            return _err(
                400,
                160009,
                "The format of the 'date_range' is invalid. The format for a date "
                "range is yyyy-MM-ddThh:mm:ss.sssZ..yyyy-MM-ddThh:mm:ss.sssZ.",
            )
        start, end = parsed
        if end - start > 90 * 86400:
            return _err(
                400, 160010, "The 'date_range' must be less than or equal to 90 days."
            )
    with req.state.lock:
        found = []
        for task in feed(req.state)["tasks"].values():
            if task["kind"] != kind or task["feedType"] != feed_type:
                continue
            # eBay compares the task's creation date at millisecond precision.
            created = int(task["created"] * 1000) / 1000.0
            if start - 0.0005 <= created <= end + 0.0005:
                _advance(req.state, task)
                found.append(task)
        found.sort(key=lambda t: t["created"])
        page = [_public(t) for t in found[offset : offset + limit]]
    resource = "inventory_task" if kind == "inventory" else "task"
    answer = {
        "href": (
            f"{BASE}/{resource}?feed_type={feed_type}&offset={offset}&limit={limit}"
        ),
        "limit": limit,
        "offset": offset,
        "total": len(found),
        "tasks": page,
    }
    if offset + limit < len(found):
        answer["next"] = (
            f"{BASE}/{resource}?feed_type={feed_type}&offset={offset + limit}"
            f"&limit={limit}"
        )
    if offset:
        answer["prev"] = (
            f"{BASE}/{resource}?feed_type={feed_type}"
            f"&offset={max(offset - limit, 0)}&limit={limit}"
        )
    return 200, answer, {}


@route("GET", f"{BASE}/inventory_task")
def get_inventory_tasks(req):
    return _search(req, "inventory")


@route("GET", f"{BASE}/task")
def get_tasks(req):
    return _search(req, "upload")


@route("POST", f"{BASE}/task/{{task_id}}/upload_file")
def upload_file(req):
    content_type = req.headers.get("Content-Type", "")
    with req.state.lock:
        task = feed(req.state)["tasks"].get(req.params["task_id"])
        if task is None or task["kind"] != "upload":
            return _err(404, 160003, f"Task {req.params['task_id']} does not exist.")
        if task["status"] != "CREATED":
            return _err(400, 160023, f"Task {task['taskId']} cannot upload a file.")
        if req.state.now() - task["created"] > UPLOAD_EXPIRY_SECONDS:
            return _err(
                400,
                160026,
                "This task has expired and you cannot use it to upload a file. You "
                "must upload a file within an hour of creating the task.",
            )
    if not content_type.lower().startswith("multipart/form-data"):
        return _err(
            400,
            160100,
            "Payload not found. Make sure your file is uploaded inside the Request "
            "Body under the key name 'file'.",
        )
    files = [p for p in multipart_parts(content_type, req.raw_body) if p[0] == "file"]
    if not files:
        return _err(
            400,
            160100,
            "Payload not found. Make sure your file is uploaded inside the Request "
            "Body under the key name 'file'.",
        )
    raw = files[0][3]
    if len(raw) > MAX_FILE_BYTES:
        return _err(
            400,
            160028,
            "The file you tried to upload is too large. Please try using a smaller "
            "file.",
        )
    requests_, problem = _read_upload(raw)
    if problem:
        return _err(
            400, 160020, f"The format of the file to be uploaded is invalid. {problem}"
        )
    with req.state.lock:
        if task["status"] != "CREATED":
            return _err(400, 160023, f"Task {task['taskId']} cannot upload a file.")
        task.update(
            status="QUEUED",
            # Kept as XML text: the state is saved to a file (state_file.py).
            requests=[ElementTree.tostring(request) for request in requests_],
            started=req.state.now(),
            polls=0,
            fileName=files[0][1],
        )
    return 200, {}, {}


@route("GET", f"{BASE}/task/{{task_id}}/download_result_file")
def get_result_file(req):
    """The result of an upload task or an inventory report (eBay serves both
    here, by the task's id)."""
    with req.state.lock:
        task = feed(req.state)["tasks"].get(req.params["task_id"])
        if task is None:
            return _err(404, 160003, f"Task {req.params['task_id']} does not exist.")
        _advance(req.state, task)
        if not task.get("result"):
            return _err(404, 160014, f"No file found for task ID {task['taskId']}.")
        name = f"{task['taskId']}-result.zip"
        return (
            200,
            task["result"],
            {
                "Content-Type": "application/octet-stream",
                "content-disposition": f'attachment; filename="{name}"',
            },
        )


@route("GET", "/_emulator/feed/tasks", auth=None)
def control_tasks(req):
    """Every task as the seller's API shows it, with its file's request count."""
    with req.state.lock:
        tasks = [
            dict(_public(t), requests=len(t.get("requests") or []))
            for t in feed(req.state)["tasks"].values()
        ]
    return 200, {"tasks": tasks}, {}


@route("POST", "/_emulator/listings/seed", auth=None)
def control_seed_listings(req):
    """Live listings made at once, as if published long ago (large catalogues
    for tests and benchmarks): ``{"listings": [{sku, price, quantity,
    marketplaceId?, currency?}]}`` -> ``{"listings": [{sku, offerId,
    listingId}]}``."""
    entries = (req.json or {}).get("listings") if isinstance(req.json, dict) else None
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("sku"), str) for e in entries
    ):
        return 400, {"error": "listings: a list of {sku, price, quantity}"}, {}
    made = []
    with req.state.lock:
        data = inv(req.state)
        for entry in entries:
            quantity = int(entry.get("quantity") or 0)
            data["items"][entry["sku"]] = {
                "sku": entry["sku"],
                "product": {"title": entry.get("title") or entry["sku"]},
                "condition": "NEW",
                "availability": {"shipToLocationAvailability": {"quantity": quantity}},
            }
            offer_id = str(next(_offer_ids))
            data["offers"][offer_id] = {
                "offerId": offer_id,
                "sku": entry["sku"],
                "marketplaceId": entry.get("marketplaceId") or "EBAY_US",
                "format": "FIXED_PRICE",
                "availableQuantity": quantity,
                "pricingSummary": {
                    "price": {
                        "value": f"{float(entry.get('price') or 0):.2f}",
                        "currency": entry.get("currency") or "USD",
                    }
                },
                "status": "PUBLISHED",
                "listingId": str(next(_listing_ids)),
                "listingStatus": "ACTIVE",
            }
            made.append(
                {
                    "sku": entry["sku"],
                    "offerId": offer_id,
                    "listingId": data["offers"][offer_id]["listingId"],
                }
            )
    return 200, {"listings": made}, {}
