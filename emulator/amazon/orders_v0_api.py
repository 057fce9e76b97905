"""Orders API v0 confirmShipment (models/orders-api-model/ordersV0.json):
``POST /orders/v0/orders/{orderId}/shipmentConfirmation``, 204 and no body.

The core has already checked the body against ``ConfirmShipmentRequest``
(marketplaceId and packageDetail required; packageReferenceId, carrierCode,
trackingNumber, shipDate and orderItems [{orderItemId, quantity}] required)
and taken the token bucket (the model's 2/s, burst 10).  This handler checks
what Amazon checks against the order, then records the package on it
(``OrdersStore.record_shipment``: the order's packages, the items' shipped
quantities, PARTIALLY_SHIPPED / SHIPPED, the "shipped" change that
notifications hear).  The package is kept in the 2026-01-01 ``OrderPackage``
shape, so getOrder with includedData PACKAGES shows it.

Refusals, as Amazon words them where a source quotes it:

* an order the seller does not have: 404 NotFound (the model's "The
  specified resource does not exist.") [UNCONFIRMED: Amazon's exact text];
* an orderItemId not in the order: 400 InvalidInput "OrderItemId is invalid,
  please obtain the value through the getOrderItems API or Manage Orders
  page" (amzn/selling-partner-api-models#492, jlevers/selling-partner-api#528);
* a packageReferenceId that is not a positive number: 400 InvalidInput
  "PackageReferenceId: is invalid, must be a positive numeric value."
  (jlevers/selling-partner-api#489);
* more units than are left unshipped, or an order already shipped in full:
  400 "Failed to create package due to not finding a matching package or
  order already fulfilled." (amzn/selling-partner-api-models#5037)
  [UNCONFIRMED: the code; InvalidInput here];
* a cancelled order, a pending one, an order Amazon fulfils (FBA), another
  marketplace than the order's, carrierCode ``Other`` without carrierName
  (the model: "Required when carrierCode is Other"), a quantity below 1:
  400 InvalidInput [UNCONFIRMED: Amazon's texts].

The model gives carrierCode no list of values, so no code is refused for
being unknown (Seller Central's list is long and changes; the addon keeps
its own choice, ``amazon/shipments.py``).

A repeated packageReferenceId: Amazon's docs say a second confirmShipment
with the same packageReferenceId edits that package ("Confirm the shipment
status").  What an edit may change is not documented, so the emulator is
strict [UNCONFIRMED]: the same items and quantities again edit the
package's carrier, tracking number, ship date and method in place (no new
package, no quantity counted twice: a repeat of the same call changes
nothing); other items or quantities under the same packageReferenceId are
refused (400 InvalidInput).  The addon never relies on an edit: it reads the
order's packages back before it sends.
"""

from ..core.contracts import accepted_body
from . import errors
from .orders_store import OrderError, OrdersStore
from .routes import route

BASE = "/orders/v0/orders"
OTHER = "Other"
NOT_FOUND = "The specified resource does not exist."
ITEM_INVALID = (
    "OrderItemId is invalid, please obtain the value through the getOrderItems "
    "API or Manage Orders page"
)
REFERENCE_INVALID = "PackageReferenceId: is invalid, must be a positive numeric value."
NOTHING_LEFT = (
    "Failed to create package due to not finding a matching package or order "
    "already fulfilled."
)
# Statuses an order may be shipped from (the 2026-01-01 model's
# FulfillmentStatus): Amazon confirms shipment of Unshipped and
# PartiallyShipped orders only [UNCONFIRMED: wording of the refusals].
SHIPPABLE = frozenset({"UNSHIPPED", "PARTIALLY_SHIPPED"})


def _bad(message, details=None):
    return 400, errors.invalid_input(message, details), {}


def _fulfillment(order):
    return order.get("fulfillment") or {}


def _package_quantities(package):
    quantities = {}
    for item in package.get("packageItems") or []:
        key = item["orderItemId"]
        quantities[key] = quantities.get(key, 0) + int(item["quantity"])
    return quantities


def _order_package(detail):
    """The 2026-01-01 ``OrderPackage`` of a v0 ``PackageDetail`` (the store
    adds createdTime and packageStatus)."""
    carrier = detail["carrierCode"]
    if carrier == OTHER:
        carrier = detail.get("carrierName") or carrier
    package = {
        "packageReferenceId": str(detail["packageReferenceId"]),
        "carrier": carrier,
        "shipTime": detail["shipDate"],
        "trackingNumber": detail["trackingNumber"],
        "packageItems": [
            {"orderItemId": item["orderItemId"], "quantity": int(item["quantity"])}
            for item in detail["orderItems"]
        ],
    }
    if detail.get("shippingMethod"):
        package["shippingService"] = detail["shippingMethod"]
    return package


def _refusal(order, body, detail):
    """Amazon's 4xx for this confirmation, or None."""
    fulfillment = _fulfillment(order)
    if fulfillment.get("fulfilledBy") == "AMAZON":
        return _bad(
            "Shipment confirmation is not allowed for orders fulfilled by Amazon."
        )
    status = fulfillment.get("fulfillmentStatus")
    if status == "CANCELLED":
        return _bad("The order has been canceled and cannot be confirmed as shipped.")
    if status not in SHIPPABLE and status != "SHIPPED":
        return _bad(f"The order cannot be confirmed as shipped in status {status}.")
    marketplace_id = (order.get("salesChannel") or {}).get("marketplaceId")
    if body.get("marketplaceId") != marketplace_id:
        return _bad(
            "Invalid marketplaceId.",
            f"The order was placed in {marketplace_id}.",
        )
    reference = str(detail["packageReferenceId"])
    if not reference.isdigit() or int(reference) < 1:
        return _bad(REFERENCE_INVALID)
    if detail["carrierCode"] == OTHER and not (detail.get("carrierName") or "").strip():
        return _bad("CarrierName is required when CarrierCode is Other.")
    if not detail["orderItems"]:
        return _bad("OrderItems is required.")
    return None


def _items_refusal(order, detail):
    items = {item["orderItemId"]: item for item in order.get("orderItems") or []}
    wanted = {}
    for entry in detail["orderItems"]:
        key = entry["orderItemId"]
        if key not in items:
            return _bad(ITEM_INVALID)
        if int(entry["quantity"]) < 1:
            return _bad("Quantity must be a positive number.")
        wanted[key] = wanted.get(key, 0) + int(entry["quantity"])
    for key, quantity in wanted.items():
        if quantity > items[key]["fulfillment"]["quantityUnfulfilled"]:
            return _bad(NOTHING_LEFT)
    return None


@route("POST", f"{BASE}/{{orderId}}/shipmentConfirmation", auth="seller")
def confirm_shipment(req):
    body = accepted_body(req)
    detail = body["packageDetail"]
    store = OrdersStore(req.state)
    package = _order_package(detail)
    reference = package["packageReferenceId"]
    edited = {}
    with req.state.lock:
        order = store.get(req.token["seller_id"], req.params["orderId"])
        if order is None:
            return 404, errors.errors("NotFound", NOT_FOUND), {}
        refusal = _refusal(order, body, detail)
        if refusal:
            return refusal
        existing = next(
            (p for p in order["packages"] if p["packageReferenceId"] == reference),
            None,
        )
        if existing is None:
            refusal = _shipped_in_full(order) or _items_refusal(order, detail)
            if refusal:
                return refusal
        elif _package_quantities(existing) != _package_quantities(package):
            # An edit of the package (Amazon's docs), strict on what it may
            # change (module docstring).
            return _bad(
                "The package's items cannot be changed.",
                f"Package {reference} already holds other items or quantities.",
            )
        else:
            edited = {
                key: package.get(key)
                for key in ("carrier", "shipTime", "trackingNumber", "shippingService")
                if package.get(key) != existing.get(key)
            }
            for key, value in edited.items():
                if value is None:
                    existing.pop(key, None)
                else:
                    existing[key] = value
    if existing is not None:
        if edited:
            store.change(order, "shipped")
        return 204, None, {}
    # Outside the lock: the store tells its listeners (SQS delivery) after
    # the change, and checks again under its own lock.
    try:
        store.record_shipment(order, package)
    except OrderError as exc:
        return _bad(NOTHING_LEFT, str(exc))
    return 204, None, {}


def _shipped_in_full(order):
    """A new package for an order shipped in full: nothing is left."""
    if order["fulfillment"]["fulfillmentStatus"] == "SHIPPED":
        return _bad(NOTHING_LEFT)
    return None
