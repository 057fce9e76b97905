"""Orders API 2026-01-01 (models/orders-api-model/orders_2026-01-01.json):
searchOrders and getOrder over ``orders_store``.

``includedData``: without it an order carries its basic data only (ids,
times, sales channel, items with their product); each dataset asked for
adds its parts (:data:`DATASETS`).

Buyer and recipient PII.  Amazon's "Access Orders PII" page
(developer-docs.amazon.com/sp-api/docs/access-orders-pii) lists what is PII
in v2026-01-01: ``buyer.buyerEmail``, ``buyer.buyerName``, the items'
``giftOption.giftMessage`` and ``customization.customizedUrl``, and the
recipient's ``deliveryAddress`` name, address lines, postal code, phone and
extended fields.  It shows them only for orders UNSHIPPED,
PARTIALLY_SHIPPED or SHIPPED (the email for merchant-fulfilled ones only).
The same page says that v2026-01-01 needs no Restricted Data Token: the
app's restricted roles decide.  This project's design asks for an RDT
(issue 13) so the emulator has two modes, control config
``orders_pii_needs_rdt``:

* 1 (default, the design's): PII only when the call's access token is
  an RDT whose restricted resources cover this call's path
  (``/orders/2026-01-01/orders/{orderId}`` for getOrder,
  ``/orders/2026-01-01/orders`` for searchOrders) with the data element:
  ``buyerInfo`` for the buyer's and the items' PII, ``shippingAddress`` for
  the recipient's;
* 0 (Amazon's page): PII for every seller token, as for an app
  holding the restricted roles.

Without the right to see them the PII fields are left out of the answer
(the rest of ``buyer`` and ``recipient`` stays) [UNCONFIRMED: whether
Amazon leaves them out or blanks them; left out is what a reader must
survive either way].  Whether Amazon takes an RDT on these paths at all is
UNCONFIRMED too (its page says none is needed).  The phone is suppressed as
the model says (FBA orders, shipped orders past their delivery date).
"""

import base64
import binascii
import copy
import hashlib
import json

from . import errors
from .orders_store import STATUSES, OrderError, OrdersStore, iso, parse_time
from .routes import route

BASE = "/orders/2026-01-01/orders"
PAGE_MAX = 100  # maxResultsPerPage: "between 1 and 100. Default: 100"
MARKETPLACES_MAX = 50  # marketplaceIds: maxItems 50
# Before-bounds "at least two minutes before the time of the request".
BEFORE_MARGIN = 120
DATASETS = (
    "BUYER",
    "RECIPIENT",
    "PROCEEDS",
    "EXPENSE",
    "PROMOTION",
    "CANCELLATION",
    "FULFILLMENT",
    "PACKAGES",
    "TAX",
    "PAYMENT",
    "FULFILLMENT_ORDERS",
)
# dataset -> (the Order's keys, the OrderItem's keys) it adds.
DATASET_KEYS = {
    "BUYER": (("buyer",), ()),
    "RECIPIENT": (("recipient",), ()),
    "PROCEEDS": (("proceeds",), ("proceeds",)),
    "EXPENSE": ((), ("expense",)),
    "PROMOTION": ((), ("promotion",)),
    "CANCELLATION": ((), ("cancellation",)),
    "FULFILLMENT": (("fulfillment",), ("fulfillment",)),
    "PACKAGES": (("packages",), ()),
    "TAX": (("tax",), ("tax",)),
    "PAYMENT": (("payment",), ()),
    "FULFILLMENT_ORDERS": (("fulfillmentOrders",), ()),
}
BASIC_ORDER_KEYS = frozenset(
    {
        "orderId",
        "orderAliases",
        "createdTime",
        "lastUpdatedTime",
        "programs",
        "associatedOrders",
        "salesChannel",
        "orderItems",
    }
)
BASIC_ITEM_KEYS = frozenset(
    {
        "orderItemId",
        "quantityOrdered",
        "measurement",
        "associatedOrderItems",
        "programs",
        "product",
    }
)
BUYER_PII = ("buyerName", "buyerEmail")
ADDRESS_PII = (
    "name",
    "addressLine1",
    "addressLine2",
    "addressLine3",
    "postalCode",
    "phone",
    "extendedFields",
)
PII_STATUSES = frozenset({"UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED"})
BUYER_INFO, SHIPPING_ADDRESS = "buyerInfo", "shippingAddress"


def _bad(message, details=None):
    return 400, errors.invalid_input(message, details), {}


def _csv(value):
    return [part for part in (value or "").split(",") if part]


def _datasets(req):
    """The includedData asked for, or the 400 (the core has checked the
    enum already; this guards an unchecked emulator)."""
    asked = _csv(req.query.get("includedData"))
    unknown = [d for d in asked if d not in DATASETS]
    if unknown:
        return None, _bad("Invalid includedData.", ", ".join(unknown))
    return frozenset(asked), None


# -- what a caller sees ------------------------------------------------------------
def pii_rights(req, path):
    """The data elements this call may read PII of (a set of
    :data:`BUYER_INFO` / :data:`SHIPPING_ADDRESS`)."""
    if not req.state.config.get("orders_pii_needs_rdt"):
        return {BUYER_INFO, SHIPPING_ADDRESS}
    granted = set()
    for resource in (req.token or {}).get("restricted_resources") or ():
        if resource["method"] == req.method and resource["path"] == path:
            granted.update(resource.get("dataElements") or ())
    return granted & {BUYER_INFO, SHIPPING_ADDRESS}


def visible(order, datasets, rights, now):
    """A copy of a stored ``order`` with the parts of ``datasets`` only and
    no PII beyond ``rights`` (``now``: the clock, for what Amazon stops
    showing after a while)."""
    order_keys, item_keys = set(BASIC_ORDER_KEYS), set(BASIC_ITEM_KEYS)
    for dataset in datasets:
        order_keys.update(DATASET_KEYS[dataset][0])
        item_keys.update(DATASET_KEYS[dataset][1])
    shown = {k: copy.deepcopy(v) for k, v in order.items() if k in order_keys}
    shown["orderItems"] = [
        {k: copy.deepcopy(v) for k, v in item.items() if k in item_keys}
        for item in order["orderItems"]
    ]
    fulfillment = order["fulfillment"]
    status = fulfillment["fulfillmentStatus"]
    shippable = status in PII_STATUSES
    if "buyer" in shown:
        if not (shippable and BUYER_INFO in rights):
            for key in BUYER_PII:
                shown["buyer"].pop(key, None)
        elif fulfillment["fulfilledBy"] != "MERCHANT":
            shown["buyer"].pop("buyerEmail", None)
    if not (shippable and BUYER_INFO in rights):
        for item in shown["orderItems"]:
            gift = (item.get("fulfillment") or {}).get("packing", {}).get("giftOption")
            if gift:
                gift.pop("giftMessage", None)
            customization = item.get("product", {}).get("customization")
            if customization:
                customization.pop("customizedUrl", None)
    address = (shown.get("recipient") or {}).get("deliveryAddress")
    if address is not None and not (shippable and SHIPPING_ADDRESS in rights):
        for key in ADDRESS_PII:
            address.pop(key, None)
    if address is not None and _phone_suppressed(order, now):
        address.pop("phone", None)
    return shown


def _phone_suppressed(order, now):
    """The model (CustomerAddress.phone): suppressed for every FBA order and
    for a shipped FBM order once its latest delivery date has passed."""
    fulfillment = order["fulfillment"]
    if fulfillment["fulfilledBy"] == "AMAZON":
        return True
    latest = (fulfillment.get("deliverByWindow") or {}).get("latestDateTime")
    return bool(
        fulfillment["fulfillmentStatus"] == "SHIPPED"
        and latest
        and parse_time(latest) < now
    )


# -- getOrder ----------------------------------------------------------------------
@route("GET", f"{BASE}/{{orderId}}", auth="seller")
def get_order(req):
    datasets, refusal = _datasets(req)
    if refusal:
        return refusal
    order_id = req.params["orderId"]
    store = OrdersStore(req.state)
    with req.state.lock:
        order = store.get(req.token["seller_id"], order_id)
        if order is None:
            return (
                404,
                errors.errors("NotFound", f"Order {order_id} was not found."),
                {},
            )
        shown = visible(order, datasets, pii_rights(req, req.path), req.state.now())
    return 200, {"order": shown}, {}


# -- searchOrders ------------------------------------------------------------------
def _time_filters(req):
    """(filters for ``OrdersStore.search``, the before-bound's name) or a 400."""
    query = req.query
    times = {}
    for name in (
        "createdAfter",
        "createdBefore",
        "lastUpdatedAfter",
        "lastUpdatedBefore",
    ):
        if query.get(name):
            try:
                times[name] = parse_time(query[name])
            except ValueError:
                return None, _bad(
                    f"Invalid {name}.", "Use ISO 8601 (2025-01-01T00:00:00Z)."
                )
    by_created = "createdAfter" in times
    by_updated = "lastUpdatedAfter" in times
    if by_created == by_updated:
        return None, _bad(
            "You must provide exactly one of createdAfter and lastUpdatedAfter."
        )
    if by_created and ("lastUpdatedBefore" in times):
        return None, _bad("lastUpdatedBefore may not be used with createdAfter.")
    if by_updated and ("createdBefore" in times):
        return None, _bad("createdBefore may not be used with lastUpdatedAfter.")
    after_name = "createdAfter" if by_created else "lastUpdatedAfter"
    before_name = "createdBefore" if by_created else "lastUpdatedBefore"
    now = req.state.now()
    before = times.get(before_name)
    if before is not None:
        if before < times[after_name]:
            return None, _bad(f"{before_name} must be equal to or after {after_name}.")
        if before > now - BEFORE_MARGIN:
            return None, _bad(
                f"{before_name} must be at least two minutes before the time of "
                "the request."
            )
    return (after_name, times[after_name], before_name, before), None


def _token_of(cursor):
    raw = json.dumps(cursor, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor_of(token):
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        cursor = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(cursor, dict) or not {"f", "b", "t"} <= set(cursor):
        return None
    if not all(isinstance(cursor[k], (int, float)) for k in ("b", "t")):
        return None
    return cursor


def _filters_digest(seller_id, query):
    """What a pagination token is bound to: the seller and every parameter
    but maxResultsPerPage, includedData and the token itself (the model:
    "All other parameters must be provided with the same values")."""
    kept = {
        k: v
        for k, v in sorted(query.items())
        if k not in ("maxResultsPerPage", "includedData", "paginationToken")
    }
    text = json.dumps([seller_id, kept], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


@route("GET", BASE, auth="seller")
def search_orders(req):
    datasets, refusal = _datasets(req)
    if refusal:
        return refusal
    state, query, seller_id = req.state, req.query, req.token["seller_id"]
    size = query.get("maxResultsPerPage")
    try:
        size = int(size) if size not in (None, "") else PAGE_MAX
    except ValueError:
        return _bad("maxResultsPerPage must be an integer.")
    if not 1 <= size <= PAGE_MAX:
        return _bad(f"maxResultsPerPage must be between 1 and {PAGE_MAX}.")
    bounds, refusal = _time_filters(req)
    if refusal:
        return refusal
    after_name, after, before_name, before = bounds
    marketplace_ids = _csv(query.get("marketplaceIds"))
    if len(marketplace_ids) > MARKETPLACES_MAX:
        return _bad(f"At most {MARKETPLACES_MAX} marketplaceIds.")
    with state.lock:
        seller = state.sellers.get(seller_id) or {"marketplaces": []}
        unknown = [m for m in marketplace_ids if m not in seller["marketplaces"]]
    if unknown:
        return _bad(
            "Invalid marketplaceIds.",
            f"The seller does not participate in {', '.join(unknown)}.",
        )
    statuses = _csv(query.get("fulfillmentStatuses"))
    fulfilled_by = _csv(query.get("fulfilledBy"))
    if [s for s in statuses if s not in STATUSES] or [
        f for f in fulfilled_by if f not in ("MERCHANT", "AMAZON")
    ]:
        return _bad("Invalid fulfillmentStatuses or fulfilledBy.")
    digest = _filters_digest(seller_id, query)
    cursor = None
    if query.get("paginationToken"):
        cursor = _cursor_of(query["paginationToken"])
        if cursor is None or cursor["f"] != digest:
            return _bad(
                "Invalid paginationToken.",
                "The token is malformed or was issued for other parameters.",
            )
        # The first page's bound holds for the whole run: orders changed
        # since are for the next search (with its lastUpdatedAfter), so a
        # page never shifts under the caller.
        before = cursor["b"]
    elif before is None:
        # Amazon delays what searchOrders sees (the docs of getOrders: about
        # two minutes); ``orders_search_delay`` (seconds, default 0) plays it.
        before = state.now() - float(state.config.get("orders_search_delay") or 0)
    filters = {
        "marketplace_ids": marketplace_ids or None,
        "fulfilled_by": fulfilled_by or None,
        "statuses": statuses or None,
    }
    if after_name == "createdAfter":
        filters.update(created_after=after, created_before=before)
        index = 0
    else:
        filters.update(last_updated_after=after, last_updated_before=before)
        index = 1
    store = OrdersStore(state)
    with state.lock:
        found = store.search(seller_id, **filters)
        if cursor is not None:
            # Keyset paging: strictly after the last order of the previous
            # page (stamps are unique).  An order that changed since moved
            # past the bound and is left to the next search: none is
            # skipped, none is shown twice in one run.
            found = [o for o in found if store.times(o["orderId"])[index] > cursor["t"]]
        page, rest = found[:size], found[size:]
        rights = pii_rights(req, req.path)
        now = state.now()
        orders = [visible(o, datasets, rights, now) for o in page]
        tail = store.times(page[-1]["orderId"])[index] if rest else None
    body = {"orders": orders, before_name: iso(before, precise=True)}
    if rest:
        body["pagination"] = {
            "nextToken": _token_of({"f": digest, "b": before, "t": tail})
        }
    return 200, body, {}


__all__ = ["OrderError", "get_order", "search_orders", "visible"]
