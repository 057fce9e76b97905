"""Sell Fulfillment API: orders made by emulated buyers, shipping fulfillments.

Buyers act through the control API (``POST /_emulator/purchase``): a
purchase takes quantity from published offers (refused when short),
creates the order and returns it; cancellations likewise.
"""

import datetime
import itertools
import re

from . import errors
from .inventory_api import inv, listed_quantity, offer_on, take_stock
from .routes import route

BASE = "/sell/fulfillment/v1"
DOMAIN = "API_FULFILLMENT"
_order_numbers = itertools.count(1)
_line_numbers = itertools.count(10_000_000_001)


def orders(state):
    return state.data.setdefault("orders", {})


def iso(ts):
    moment = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_iso(text):
    return datetime.datetime.strptime(
        text.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z"
    ).timestamp()


def money(value, currency="USD"):
    return {"value": f"{value:.2f}", "currency": currency}


def _err(error_id, message, status=400):
    return status, errors.body(errors.error(error_id, DOMAIN, message)), {}


# -- buyers (control API) ----------------------------------------------------------
@route("POST", "/_emulator/purchase", auth=None)
def purchase(req):
    """{lines: [{sku, quantity, marketplaceId}], buyer: {...}, shipTo: {...},
    paid: true, shippingCost: 4.99, tax: 1.25, currency: "USD", handlingDays: 2}

    A line without ``marketplaceId`` buys on any marketplace the SKU is
    listed on; without ``currency`` the buyer pays in the listing's."""
    body = req.json or {}
    state = req.state
    lines = body.get("lines") or []
    currency = str(body.get("currency") or "")
    if not lines:
        return 400, {"error": "lines required"}, {}
    with state.lock:
        picked = []
        for line in lines:
            # The listing of the line's marketplace (any, when not given).
            offer = offer_on(state, line.get("sku"), line.get("marketplaceId"))
            if not offer:
                return 409, {"error": f"SKU {line.get('sku')} is not listed"}, {}
            quantity = int(line.get("quantity", 1))
            left = listed_quantity(state, offer)
            if left < quantity:
                return 409, {"error": f"only {left} left of {offer['sku']}"}, {}
            picked.append((offer, quantity))
        # The buyer pays in the currency of the listing's price.
        first = picked[0][0]
        currency = currency or (
            ((first.get("pricingSummary") or {}).get("price") or {}).get("currency")
            or "USD"
        )
        now = state.now()
        number = next(_order_numbers)
        order_id = f"{number:02d}-{int(now) % 100000:05d}-{len(orders(state)):05d}"
        line_items, subtotal = [], 0.0
        for offer, quantity in picked:
            take_stock(state, offer, quantity)
            price = float(offer["pricingSummary"]["price"]["value"])
            subtotal += price * quantity
            line_items.append(
                {
                    "lineItemId": str(next(_line_numbers)),
                    "legacyItemId": offer.get("listingId"),
                    "sku": offer["sku"],
                    "title": (
                        inv(state)["items"].get(offer["sku"], {}).get("product") or {}
                    ).get("title", offer["sku"]),
                    "quantity": quantity,
                    "lineItemCost": money(price * quantity, currency),
                    "total": money(price * quantity, currency),
                    "lineItemFulfillmentStatus": "NOT_STARTED",
                    "refunds": [],  # see refund_api.py
                    "lineItemFulfillmentInstructions": _ship_by(body, now),
                    "listingMarketplaceId": offer["marketplaceId"],
                    "purchaseMarketplaceId": offer["marketplaceId"],
                    "ebayCollectAndRemitTaxes": (
                        [
                            {
                                "taxType": "STATE_SALES_TAX",
                                "amount": money(
                                    float(body["tax"]) / len(picked), currency
                                ),
                            }
                        ]
                        if body.get("tax")
                        else []
                    ),
                }
            )
        shipping = float(body.get("shippingCost", 0))
        tax = float(body.get("tax", 0))
        buyer = body.get("buyer") or {"username": "emulator_buyer"}
        ship_to = body.get("shipTo") or {
            "fullName": "Alex Buyer",
            "contactAddress": {
                "addressLine1": "2145 Hamilton Avenue",
                "city": "San Jose",
                "stateOrProvince": "CA",
                "postalCode": "95125",
                "countryCode": "US",
            },
            "primaryPhone": {"phoneNumber": "4085551234"},
            "email": "alex.buyer@example.com",
        }
        paid = body.get("paid", True)
        order = {
            "orderId": order_id,
            "creationDate": iso(now),
            "lastModifiedDate": iso(now),
            "orderFulfillmentStatus": "NOT_STARTED",
            "orderPaymentStatus": "PAID" if paid else "PENDING",
            "sellerId": state.user["username"],
            "buyer": {
                "username": buyer.get("username"),
                # A purchase may leave out the email: eBay's schema has no
                # null strings, so a missing value is left out, not null.
                "buyerRegistrationAddress": {
                    key: ship_to[key]
                    for key in ("fullName", "email", "contactAddress")
                    if ship_to.get(key) is not None
                },
            },
            "pricingSummary": {
                "priceSubtotal": money(subtotal, currency),
                "deliveryCost": money(shipping, currency),
                "total": money(subtotal + shipping + tax, currency),
            },
            "cancelStatus": {"cancelState": "NONE_REQUESTED", "cancelRequests": []},
            "paymentSummary": {
                "totalDueSeller": money(subtotal + shipping, currency),
                "payments": [
                    {
                        "paymentMethod": "EBAY",
                        "paymentStatus": "PAID" if paid else "PENDING",
                        "amount": money(subtotal + shipping + tax, currency),
                        **({"paymentDate": iso(now)} if paid else {}),
                    }
                ],
                "refunds": [],  # see refund_api.py
            },
            "fulfillmentStartInstructions": [
                {
                    "fulfillmentInstructionsType": "SHIP_TO",
                    "shippingStep": {"shipTo": ship_to, "shippingCarrierCode": "USPS"},
                }
            ],
            "lineItems": line_items,
            "ebayCollectAndRemitTax": bool(tax),
            "totalFeeBasisAmount": money(subtotal + shipping, currency),
            "salesRecordReference": str(len(orders(state)) + 1),
            # The emulator's own bookkeeping, never answered (see _public):
            "_fulfillments": [],
            "_shipped": {},  # lineItemId -> quantity shipped so far
        }
        orders(state)[order_id] = order
        public = _public(order)
    if body.get("notify", True):
        # eBay tells subscribed destinations; a lazy import: the notification
        # module builds on this one.
        from .notification_api import push

        push(
            state,
            "ORDER_CONFIRMATION",
            {"orderId": order_id},
            duplicate=bool(body.get("duplicate")),
        )
    return 201, public, {}


@route("POST", "/_emulator/orders/{orderId}/cancel", auth=None)
def cancel(req):
    state = req.state
    with state.lock:
        order = orders(state).get(req.params["orderId"])
        if not order:
            return 404, {"error": "no such order"}, {}
        if order["orderFulfillmentStatus"] == "FULFILLED":
            return 409, {"error": "already shipped"}, {}
        if order["orderPaymentStatus"] in ("PAID", "PARTIALLY_REFUNDED"):
            # The buyer gets back what is left of their payment, as a refund
            # of the order (lazy import: refunds build on this module).
            from .refund_api import order_total, record_refund, refunded_so_far

            left = round(order_total(order) - refunded_so_far(order), 2)
            if left > 0:
                record_refund(state, order, [], left)
        order["cancelStatus"] = {
            "cancelState": "CANCELED",
            "cancelRequests": [],
            "cancelledDate": iso(state.now()),
        }
        order["orderPaymentStatus"] = "FULLY_REFUNDED"
        order["lastModifiedDate"] = iso(state.now())
        for line in order["lineItems"]:
            offer = offer_on(state, line["sku"], line.get("listingMarketplaceId"))
            if offer:
                take_stock(state, offer, -line["quantity"])
        public = _public(order)
    return 200, public, {}


@route("POST", "/_emulator/orders/{orderId}/pay", auth=None)
def pay(req):
    with req.state.lock:
        order = orders(req.state).get(req.params["orderId"])
        if not order:
            return 404, {"error": "no such order"}, {}
        order["orderPaymentStatus"] = "PAID"
        for payment in order["paymentSummary"].get("payments") or []:
            payment["paymentStatus"] = "PAID"
            payment["paymentDate"] = iso(req.state.now())
        order["lastModifiedDate"] = iso(req.state.now())
        public = _public(order)
    return 200, public, {}


# Days the seller has to ship a purchase (the listing's handling time) when
# the purchase does not say (``handlingDays``).
HANDLING_DAYS = 2


def _ship_by(body, now):
    """The line's fulfillment instructions: ship by ``handlingDays`` (default
    :data:`HANDLING_DAYS`) after the purchase; negative days make an order
    already late."""
    days = float(body.get("handlingDays", HANDLING_DAYS))
    return {"shipByDate": iso(now + days * 86400), "guaranteedDelivery": False}


def _public(order):
    """The order as eBay answers it: without the emulator's bookkeeping."""
    return {k: v for k, v in order.items() if not k.startswith("_")}


# -- seller API ----------------------------------------------------------------------
# getOrders' orderIds: "(maximum 50) ... all other query parameters will
# be ignored" (the contract's parameter text; EBAY_FACTS.md).
ORDER_IDS_LIMIT = 50


def _get_orders_by_id(req, ids):
    """getOrders with orderIds: those of the ids that are orders, in the
    order asked, one page whatever limit, offset or filter say."""
    if len(ids) > ORDER_IDS_LIMIT:
        return _err(
            30900,
            "Exceeded maximum number of order IDs (the current limit is 50 )",
        )
    with req.state.lock:
        known = orders(req.state)
        page = [_public(known[i]) for i in dict.fromkeys(ids) if i in known]
    body = {
        "href": f"{req.base_url}{BASE}/order?orderIds={','.join(ids)}",
        "limit": len(ids),
        "offset": 0,
        "total": len(page),
        "orders": page,
    }
    return 200, body, {}


FILTER_RE = re.compile(r"(creationdate|lastmodifieddate):\[([^\]]*)\]")


@route("GET", f"{BASE}/order")
def get_orders(req):
    query = req.query
    if query.get("orderIds"):
        return _get_orders_by_id(req, query["orderIds"].split(","))
    try:
        limit = int(query.get("limit", 50))
        offset = int(query.get("offset", 0))
    except ValueError:
        return _err(30800, "Invalid limit or offset.")
    if not 1 <= limit <= 200:
        return _err(30800, "The limit must be between 1 and 200.")
    if offset < 0:
        return _err(30900, "The offset must not be negative.")
    with req.state.lock:
        found = list(orders(req.state).values())
        field_for = {
            "creationdate": "creationDate",
            "lastmodifieddate": "lastModifiedDate",
        }
        criteria = FILTER_RE.findall(query.get("filter", ""))
        if query.get("filter") and not criteria:
            return _err(30700, "Invalid filter.")
        if any(name == "creationdate" for name, _r in criteria):
            criteria = [c for c in criteria if c[0] == "creationdate"]
        for name, bounds in criteria:
            start, _sep, end = bounds.partition("..")
            try:
                low = parse_iso(start) if start else None
                high = parse_iso(end) if end else None
            except ValueError:
                return _err(30750, "Invalid date in the filter.")
            key = field_for[name]
            found = [
                o
                for o in found
                if (low is None or parse_iso(o[key]) >= low)
                and (high is None or parse_iso(o[key]) <= high)
            ]
        found.sort(key=lambda o: (o["lastModifiedDate"], o["orderId"]))
        page = [_public(o) for o in found[offset : offset + limit]]
        total = len(found)
    href = f"{req.base_url}{BASE}/order?limit={limit}&offset={offset}"
    body = {
        "href": href,
        "limit": limit,
        "offset": offset,
        "total": total,
        "orders": page,
    }
    if offset + limit < total:
        body["next"] = (
            f"{req.base_url}{BASE}/order?limit={limit}&offset={offset + limit}"
        )
    return 200, body, {}


@route("GET", f"{BASE}/order/{{orderId}}")
def get_order(req):
    with req.state.lock:
        order = orders(req.state).get(req.params["orderId"])
        public = _public(order) if order else None
    if not public:
        return _err(32100, "Invalid order ID.", 404)
    return 200, public, {}


@route("POST", f"{BASE}/order/{{orderId}}/shipping_fulfillment")
def create_fulfillment(req):
    body = req.json or {}
    with req.state.lock:
        order = orders(req.state).get(req.params["orderId"])
        if not order:
            # A 400: the operation declares no 404 (32100 is among its 400s).
            return _err(32100, "Invalid order ID.")
        shipped = order["_shipped"]
        if bool(body.get("trackingNumber")) != bool(body.get("shippingCarrierCode")):
            return _err(32300, "Carrier and tracking number must be given together.")
        by_id = {li["lineItemId"]: li for li in order["lineItems"]}
        requested = body.get("lineItems") or []
        if not requested:
            return _err(32200, "Invalid line item: lineItems is required.")
        for entry in requested:
            line = by_id.get(entry.get("lineItemId"))
            if not line:
                return _err(32200, f"Invalid line item {entry.get('lineItemId')}.")
            total = shipped.get(line["lineItemId"], 0) + int(
                entry.get("quantity", line["quantity"])
            )
            if total > line["quantity"]:
                return _err(
                    32210, f"Line item {line['lineItemId']} is already shipped."
                )
        for entry in requested:
            line = by_id[entry["lineItemId"]]
            line_id = line["lineItemId"]
            shipped[line_id] = shipped.get(line_id, 0) + int(
                entry.get("quantity", line["quantity"])
            )
            line["lineItemFulfillmentStatus"] = (
                "FULFILLED" if shipped[line_id] >= line["quantity"] else "IN_PROGRESS"
            )
        fulfillment_id = body.get("trackingNumber") or "999"
        # eBay: shippedDate "defaults to the current date and time".
        shipped_date = body.get("shippedDate") or iso(req.state.now())
        order["_fulfillments"].append(
            dict(body, fulfillmentId=fulfillment_id, shippedDate=shipped_date)
        )
        statuses = {li["lineItemFulfillmentStatus"] for li in order["lineItems"]}
        order["orderFulfillmentStatus"] = (
            "FULFILLED" if statuses == {"FULFILLED"} else "IN_PROGRESS"
        )
        order["lastModifiedDate"] = iso(req.state.now())
    location = (
        f"{req.base_url}{BASE}/order/{order['orderId']}"
        f"/shipping_fulfillment/{fulfillment_id}"
    )
    # The id is in Location; the contract declares a JSON object as the body.
    return 201, {}, {"Location": location}


@route("GET", f"{BASE}/order/{{orderId}}/shipping_fulfillment")
def get_fulfillments(req):
    with req.state.lock:
        order = orders(req.state).get(req.params["orderId"])
        if not order:
            return _err(32100, "Invalid order ID.")  # declared: 400, not 404
        found = [
            {
                key: value
                for key, value in (
                    ("fulfillmentId", f["fulfillmentId"]),
                    ("lineItems", f.get("lineItems", [])),
                    ("shipmentTrackingNumber", f.get("trackingNumber")),
                    ("shippingCarrierCode", f.get("shippingCarrierCode")),
                    ("shippedDate", f.get("shippedDate")),
                )
                if value is not None  # absent, never null
            }
            for f in order["_fulfillments"]
        ]

    return 200, {"fulfillments": found, "total": len(found)}, {}
