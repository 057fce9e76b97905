"""Refunds and returns of orders, as eBay reports them in the order.

A refund is made by the buyer's side (``POST /_emulator/orders/{orderId}/refund``:
a return, a cancellation after payment, a partial refund eBay grants) or by
the seller (the Fulfillment API's ``issueRefund``).  Either way the order
then carries it as eBay's getOrder does:

- ``paymentSummary.refunds[]``: one entry per refund, ``refundId``,
  ``amount`` (the whole refund), ``refundStatus``, ``refundDate``,
  ``refundReferenceId``;
- ``lineItems[].refunds[]``: for a refund of line items, each line's share
  under the same ``refundId``;
- ``orderPaymentStatus``: PARTIALLY_REFUNDED, or FULLY_REFUNDED once the
  refunds reach the order's total.

Control body (amounts as numbers, in the order's currency)::

    {"amount": 5.0}                                         # the order, in part
    {"lines": [{"lineItemId": "...", "quantity": 1}]}       # units of a line
    {"lines": [{"sku": "MUG-1", "amount": 2.5}]}            # part of a line
    {"status": "PENDING", "bySeller": true}                 # an issueRefund's

``POST /_emulator/orders/{orderId}/refunds/complete``: eBay completes the
order's pending refunds.
"""

from . import errors
from .fulfillment_api import BASE, DOMAIN, iso, money, orders
from .routes import route

REFUND_STATUSES = ("PENDING", "REFUNDED", "FAILED")
FIRST_REFUND_ID = 5_000_000_001


def _err(error_id, message, status=400):
    return status, errors.body(errors.error(error_id, DOMAIN, message)), {}


def _value(amount):
    return float((amount or {}).get("value") or 0)


def refunded_so_far(order, line=None):
    """What the order's (or one line's) refunds that did not fail add up to."""
    if line is not None:
        return sum(_value(r.get("amount")) for r in line.get("refunds") or [])
    return sum(
        _value(r["amount"])
        for r in order["paymentSummary"].get("refunds") or []
        if r.get("refundStatus") != "FAILED"
    )


def order_total(order):
    return _value(order["pricingSummary"]["total"])


def line_unit_price(line):
    return _value(line["lineItemCost"]) / (line.get("quantity") or 1)


def _round(value):
    return round(value + 1e-9, 2)


def record_refund(state, order, shares, amount, status="REFUNDED", by_seller=False):
    """Add a refund to ``order`` (under the state's lock): ``shares`` is
    ``[(line, amount)]`` for a refund of line items (empty for the order),
    ``amount`` the whole refund.  Returns its ids as eBay shows them.

    As eBay says in the Fulfillment contract: a refund the seller issued
    (issueRefund) carries its ``refundId`` where it was issued, on the order
    or on its lines; every issued refund has a ``refundReferenceId`` on the
    order; the other refunds (returns, cancellations) have only that."""
    now = state.now()
    # Counted from the state, not the process: ids stay unique when the
    # emulator's state outlives it.
    number = FIRST_REFUND_ID + sum(
        len(o["paymentSummary"].get("refunds") or []) for o in orders(state).values()
    )
    refund_id = str(number) if by_seller else None
    currency = order["pricingSummary"]["total"]["currency"]
    entry = {
        "refundStatus": status,
        "refundDate": iso(now),
        "amount": money(amount, currency),
    }
    if refund_id and not shares:
        entry["refundId"] = refund_id
    if status == "REFUNDED":
        entry["refundReferenceId"] = f"R{number}"
    order["paymentSummary"].setdefault("refunds", []).append(entry)
    for line, share in shares:
        part = {"refundDate": iso(now), "amount": money(share, currency)}
        if refund_id:
            part["refundId"] = refund_id
        line.setdefault("refunds", []).append(part)
    if status != "FAILED":
        full = refunded_so_far(order) >= order_total(order) - 0.005
        order["orderPaymentStatus"] = "FULLY_REFUNDED" if full else "PARTIALLY_REFUNDED"
    order["lastModifiedDate"] = iso(now)
    ids = {"refundId": refund_id, "refundReferenceId": entry.get("refundReferenceId")}
    return {key: value for key, value in ids.items() if value}


def _find_line(order, entry):
    for line in order["lineItems"]:
        if entry.get("lineItemId") and line["lineItemId"] == entry["lineItemId"]:
            return line
        if not entry.get("lineItemId") and entry.get("sku") == line.get("sku"):
            return line
    return None


def _shares(order, entries):
    """``([(line, amount)], None)`` of the control body's lines, or
    ``(None, problem)``."""
    shares = []
    for entry in entries:
        line = _find_line(order, entry)
        if line is None:
            return None, f"no line {entry.get('lineItemId') or entry.get('sku')}"
        if entry.get("amount") is not None:
            share = float(entry["amount"])
        else:
            share = line_unit_price(line) * int(entry.get("quantity", line["quantity"]))
        share = _round(share)
        left = _value(line["lineItemCost"]) - refunded_so_far(order, line)
        if share <= 0 or share > _round(left):
            return None, f"line {line['lineItemId']}: {share:.2f} of {left:.2f} left"
        shares.append((line, share))
    return shares, None


# -- buyers and eBay (control API) ----------------------------------------------------
@route("POST", "/_emulator/orders/{orderId}/refund", auth=None)
def refund(req):
    body = req.json if isinstance(req.json, dict) else {}
    status = body.get("status", "REFUNDED")
    if status not in REFUND_STATUSES:
        return 400, {"error": f"status must be one of {REFUND_STATUSES}"}, {}
    with req.state.lock:
        order = orders(req.state).get(req.params["orderId"])
        if not order:
            return 404, {"error": "no such order"}, {}
        if order["orderPaymentStatus"] not in ("PAID", "PARTIALLY_REFUNDED"):
            return 409, {"error": f"order is {order['orderPaymentStatus']}"}, {}
        if body.get("lines"):
            shares, problem = _shares(order, body["lines"])
            if problem:
                return 409, {"error": problem}, {}
            amount = sum(share for _line, share in shares)
        else:
            shares = []
            left = order_total(order) - refunded_so_far(order)
            amount = _round(float(body.get("amount", left)))
            if amount <= 0 or amount > _round(left):
                return 409, {"error": f"{amount:.2f} of {left:.2f} left"}, {}
        ids = record_refund(
            req.state,
            order,
            shares,
            _round(amount),
            status,
            by_seller=bool(body.get("bySeller")),
        )
        public = {k: v for k, v in order.items() if not k.startswith("_")}
    return 200, dict(ids, order=public), {}


@route("POST", "/_emulator/orders/{orderId}/refunds/complete", auth=None)
def complete_refunds(req):
    """eBay completes the order's pending refunds (an issueRefund's)."""
    with req.state.lock:
        order = orders(req.state).get(req.params["orderId"])
        if not order:
            return 404, {"error": "no such order"}, {}
        done = 0
        for entry in order["paymentSummary"].get("refunds") or []:
            if entry["refundStatus"] == "PENDING":
                entry["refundStatus"] = "REFUNDED"
                entry["refundReferenceId"] = f"R{entry.get('refundId') or done}"
                done += 1
        if done:
            order["lastModifiedDate"] = iso(req.state.now())
    return 200, {"completed": done}, {}


# -- seller API -------------------------------------------------------------------
def _amount_problem(amount, currency):
    """The issueRefund error (id, message) of one amount, or None."""
    if not amount or amount.get("value") in (None, ""):
        return 34906, "The amount value must be specified."
    if not amount.get("currency"):
        return 34908, "The amount currency must be specified."
    if amount["currency"] != currency:
        return 34909, "The amount currency isn't correct."
    try:
        value = float(amount["value"])
    except ValueError:
        value = -1
    if value <= 0 or _round(value) != value:
        return 34907, "The amount value must be positive and within two decimals."
    return None


def _item_shares(order, items):
    """``([(line, amount)], None)`` of issueRefund's refundItems, or
    ``(None, an error answer)``."""
    shares = []
    for item in items:
        if not item.get("lineItemId"):
            return None, _err(
                34910,
                "Either legacyReference or lineItemId must be specified for "
                "item level refund.",
            )
        line = _find_line(order, {"lineItemId": item["lineItemId"]})
        if line is None:
            return None, _err(34914, "Can't find the item in the order.")
        share = float(item["refundAmount"]["value"])
        left = _value(line["lineItemCost"]) - refunded_so_far(order, line)
        if share > _round(left):
            return None, _err(
                34924, "The item refund amount exceeds the item remaining amount.", 409
            )
        shares.append((line, share))
    return shares, None


@route("POST", f"{BASE}/order/{{order_id}}/issue_refund")
def issue_refund(req):
    """The seller refunds the buyer.  eBay processes it asynchronously: the
    answer says PENDING; the order (getOrder) shows it REFUNDED."""
    body = req.json if isinstance(req.json, dict) else {}
    if not body:
        return _err(34902, "Request can't be empty.")
    if not body.get("reasonForRefund"):
        return _err(34903, "The refund reason must be specified.")
    items = body.get("refundItems") or []
    whole = body.get("orderLevelRefundAmount")
    if not items and not whole:
        return _err(
            34905, "Either orderLevelRefundAmount or refundItems must be specified."
        )
    with req.state.lock:
        order = orders(req.state).get(req.params["order_id"])
        if not order:
            return _err(34913, "Can not find the order.", 404)
        if order["orderPaymentStatus"] == "FULLY_REFUNDED":
            return _err(34917, "This order was already refunded.")
        if order["orderPaymentStatus"] not in ("PAID", "PARTIALLY_REFUNDED"):
            return _err(
                34929,
                "You cannot refund this order yet since the buyer payment has "
                "not been processed. Please try again later.",
                409,
            )
        currency = order["pricingSummary"]["total"]["currency"]
        for amount in [whole] if whole else [i.get("refundAmount") for i in items]:
            if problem := _amount_problem(amount, currency):
                return _err(*problem)
        shares, error = _item_shares(order, items)
        if error:
            return error
        total = float(whole["value"]) if whole else sum(s for _l, s in shares)
        if total > _round(order_total(order) - refunded_so_far(order)):
            return _err(34915, "The refund amount exceeds order amount.")
        ids = record_refund(req.state, order, shares, _round(total), by_seller=True)
    return 200, {"refundId": ids["refundId"], "refundStatus": "PENDING"}, {}
