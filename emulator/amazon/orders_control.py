"""Control endpoints of the orders (beside ``control.py``'s), under
``/_emulator/amazon/orders``:

* ``POST``: create an order; the body is ``OrdersStore.create``'s keywords
  (``seller_id`` defaults to the emulator's seller) -> the stored order;
* ``GET``: ``{"orders": [...]}``, every order (``?seller_id=`` one seller's),
  as stored: all datasets, PII and packages, plus ``sellerId``;
* ``GET /{order_id}``: one order as stored (404 when unknown);
* ``POST /{order_id}/status`` ``{"status"}``: PENDING -> UNSHIPPED and the
  like (CANCELLED cancels; the shipped ones come from confirmShipment);
* ``POST /{order_id}/cancel`` ``{"cancelled_by"?, "reason"?}``.

Each change bumps the order's ``lastUpdatedTime`` and calls the store's
listeners (SQS delivery).  Bad input answers 400 ``{"error"}``.
"""

import copy

from ..core.control import bad_request
from .orders_store import OrderError, OrdersStore
from .routes import route
from .state import DEFAULT_SELLER

PREFIX = "/_emulator/amazon/orders"
CREATE_KEYS = frozenset(
    {
        "seller_id",
        "marketplace_id",
        "items",
        "fulfilled_by",
        "status",
        "shipping",
        "gift_wrap",
        "tax",
        "buyer",
        "ship_to",
        "order_id",
    }
)
CANCELLED_BY = ("BUYER", "MERCHANT", "AMAZON")


def _body(req):
    return req.json if isinstance(req.json, dict) else {}


def _stored(store, order):
    return {"sellerId": store.seller_of(order["orderId"]), **copy.deepcopy(order)}


@route("POST", PREFIX, auth=None)
def create_order(req):
    body = _body(req)
    unknown = set(body) - CREATE_KEYS
    if unknown:
        return bad_request(f"unknown keys {sorted(unknown)}")
    if not isinstance(body.get("marketplace_id"), str):
        return bad_request("missing marketplace_id")
    kwargs = dict(body)
    kwargs.setdefault("seller_id", DEFAULT_SELLER["seller_id"])
    store = OrdersStore(req.state)
    try:
        order = store.create(**kwargs)
    except OrderError as exc:
        return bad_request(str(exc))
    with req.state.lock:
        return 200, _stored(store, order), {}


@route("GET", PREFIX, auth=None)
def list_orders(req):
    store = OrdersStore(req.state)
    with req.state.lock:
        orders = [
            _stored(store, o) for o in store.all(req.query.get("seller_id") or None)
        ]
    return 200, {"orders": orders}, {}


def _find(req):
    store = OrdersStore(req.state)
    order_id = req.params["order_id"]
    seller_id = store.seller_of(order_id)
    order = store.get(seller_id, order_id) if seller_id else None
    return store, order


@route("GET", f"{PREFIX}/{{order_id}}", auth=None)
def one_order(req):
    store, order = _find(req)
    if order is None:
        return 404, {"error": f"no order {req.params['order_id']}"}, {}
    with req.state.lock:
        return 200, _stored(store, order), {}


@route("POST", f"{PREFIX}/{{order_id}}/status", auth=None)
def set_status(req):
    store, order = _find(req)
    if order is None:
        return 404, {"error": f"no order {req.params['order_id']}"}, {}
    status = _body(req).get("status")
    if not isinstance(status, str):
        return bad_request("missing status")
    try:
        store.set_status(order, status)
    except OrderError as exc:
        return bad_request(str(exc))
    with req.state.lock:
        return 200, _stored(store, order), {}


@route("POST", f"{PREFIX}/{{order_id}}/cancel", auth=None)
def cancel_order(req):
    store, order = _find(req)
    if order is None:
        return 404, {"error": f"no order {req.params['order_id']}"}, {}
    body = _body(req)
    cancelled_by = body.get("cancelled_by", "BUYER")
    reason = body.get("reason", "Buyer cancelled")
    if cancelled_by not in CANCELLED_BY or not isinstance(reason, str):
        return bad_request(f"cancelled_by must be one of {list(CANCELLED_BY)}")
    try:
        store.cancel(order, cancelled_by, reason)
    except OrderError as exc:
        return bad_request(str(exc))
    with req.state.lock:
        return 200, _stored(store, order), {}
