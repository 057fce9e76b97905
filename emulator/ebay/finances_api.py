"""Sell Finances API: the seller's monetary transactions and payouts.

eBay serves it on ``apiz.ebay.com`` (the contract's first server); the
emulator serves every host on one origin, on the contract's paths
(``/sell/finances/v1/...``).

Transactions arise from what buyers and sellers did elsewhere in the
emulator, read when asked:

* a paid order (``fulfillment_api``) is a SALE: credited its items and
  shipping less eBay's fees (``FINAL_VALUE_FEE`` per line, and
  ``FINAL_VALUE_FEE_FIXED_PER_ORDER`` on the first line); its
  ``transactionId`` is the order id;
* each refund of an order (``paymentSummary.refunds``; an order cancelled
  with no refund entry is refunded in full) is a REFUND: debited what went
  back to the buyer, less the variable fee eBay credits back in proportion;
* a charge made through the control API is a NON_SALE_CHARGE (a fee not
  tied to an order: insertion, store subscription...).

A payout (``POST /_emulator/payouts``) groups every transaction still
available for payout: its amount is their credits less their debits, and
they then show ``transactionStatus: PAYOUT`` and its ``payoutId``.  What
this module remembers (charges, payouts, which transaction went in which
payout) is under ``state.data["finances"]`` (:func:`finances`).

Control endpoints:

===========================================  =====================================
``POST /_emulator/finances/charges``         ``{amount, feeType?, memo?,
                                             currency?}`` -> the NON_SALE_CHARGE
``POST /_emulator/payouts``                  ``{status?, currency?}`` -> the payout
                                             (409 when nothing is to be paid out)
``POST /_emulator/payouts/{payoutId}``       ``{status}``: the payout's new status
===========================================  =====================================
"""

import re

from . import errors
from .fulfillment_api import iso, money, orders, parse_iso
from .routes import route

BASE = "/sell/finances/v1"
DOMAIN = "API_FINANCES"
# eBay US's final value fee for most categories, and its per-order part
# ($0.30 up to $10, $0.40 above) [3P: eBay's fee pages, not in the contract].
FINAL_VALUE_FEE_RATE = 0.1325
FIXED_FEE_SMALL, FIXED_FEE, FIXED_FEE_THRESHOLD = 0.30, 0.40, 10.0
PAID_STATUSES = ("PAID", "PARTIALLY_REFUNDED", "FULLY_REFUNDED")
PAYOUT_STATUSES = (
    "INITIATED",
    "SUCCEEDED",
    "REVERSED",
    "RETRYABLE_FAILED",
    "TERMINAL_FAILED",
)
# What the seller reads on Seller Hub for each status (Payout's
# payoutStatusDescription).
PAYOUT_STATUS_TEXTS = {
    "INITIATED": "Preparing to send",
    "SUCCEEDED": "Funds sent",
    "REVERSED": "Waiting to retry",
    "RETRYABLE_FAILED": "Waiting to retry",
    "TERMINAL_FAILED": "Payout failed",
}
TRANSACTION_TYPES = (
    "SALE",
    "REFUND",
    "CREDIT",
    "DISPUTE",
    "SHIPPING_LABEL",
    "TRANSFER",
    "NON_SALE_CHARGE",
    "ADJUSTMENT",
    "WITHDRAWAL",
    "LOAN_REPAYMENT",
    "PURCHASE",
)
TRANSACTION_STATUSES = (
    "FUNDS_ON_HOLD",
    "FUNDS_PROCESSING",
    "FUNDS_AVAILABLE_FOR_PAYOUT",
    "PAYOUT",
    "COMPLETED",
    "FAILED",
)
# getTransactions' page: "Maximum: 1000 Default: 20"; getPayouts': 200, 20.
TRANSACTION_LIMIT, PAYOUT_LIMIT, DEFAULT_LIMIT = 1000, 200, 20
# Ids count from what the state holds, so a state saved and loaded again
# goes on with new ones.
FIRST_PAYOUT_NUMBER = 6_200_000_001

# One criterion of a filter: ``name:[from..to]`` or ``name:{value|value}``.
CRITERION_RE = re.compile(r"(\w+):(\[[^\]]*\]|\{[^}]*\})")


def finances(state):
    """This API's own memory: charges, payouts and the payout of each
    transaction paid out (plain data: the state file saves it as it is)."""
    return state.data.setdefault(
        "finances", {"charges": [], "payouts": {}, "paid_out": {}}
    )


def _err(error_id, message, status=400):
    return status, errors.body(errors.error(error_id, DOMAIN, message)), {}


def _cents(value):
    return round(float(value) + 1e-9, 2)


# -- transactions as eBay derives them ---------------------------------------------
def _sale(order):
    currency = order["pricingSummary"]["total"]["currency"]
    shipping = float(order["pricingSummary"].get("deliveryCost", {}).get("value", 0))
    lines, gross, fees = [], 0.0, 0.0
    subtotal = sum(float(li["total"]["value"]) for li in order["lineItems"]) or 1.0
    for index, line in enumerate(order["lineItems"]):
        basis = float(line["total"]["value"]) + shipping * (
            float(line["total"]["value"]) / subtotal
        )
        line_fees = [
            {
                "feeType": "FINAL_VALUE_FEE",
                "amount": money(_cents(basis * FINAL_VALUE_FEE_RATE), currency),
            }
        ]
        if index == 0:
            total = subtotal + shipping
            fixed = FIXED_FEE if total > FIXED_FEE_THRESHOLD else FIXED_FEE_SMALL
            line_fees.append(
                {
                    "feeType": "FINAL_VALUE_FEE_FIXED_PER_ORDER",
                    "amount": money(fixed, currency),
                }
            )
        gross += basis
        fees += sum(float(f["amount"]["value"]) for f in line_fees)
        lines.append(
            {
                "lineItemId": line["lineItemId"],
                "feeBasisAmount": money(basis, currency),
                "marketplaceFees": line_fees,
            }
        )
    gross, fees = _cents(gross), _cents(fees)
    return {
        "transactionId": order["orderId"],
        "orderId": order["orderId"],
        "transactionType": "SALE",
        "bookingEntry": "CREDIT",
        "transactionDate": order["creationDate"],
        "amount": money(gross - fees, currency),
        "totalFeeBasisAmount": money(gross, currency),
        "totalFeeAmount": money(fees, currency),
        "orderLineItems": lines,
        "buyer": {"username": (order.get("buyer") or {}).get("username") or ""},
        "salesRecordReference": "0",
        "paymentsEntity": "eBay Commerce Inc.",
    }


def _refunds_of(order):
    """(refund id, amount, date) of each refund the order shows."""
    summary = order.get("paymentSummary") or {}
    refunds = [
        (
            r.get("refundId")
            or r.get("refundReferenceId")
            or f"{order['orderId']}-R{i}",
            float((r.get("amount") or {}).get("value", 0)),
            r.get("refundDate") or order["lastModifiedDate"],
        )
        for i, r in enumerate(summary.get("refunds") or [], start=1)
        if r.get("refundStatus", "REFUNDED") == "REFUNDED"
    ]
    if not refunds and order.get("orderPaymentStatus") == "FULLY_REFUNDED":
        # A cancellation before shipping refunds the buyer's whole payment.
        total = float(order["pricingSummary"]["priceSubtotal"]["value"]) + float(
            order["pricingSummary"].get("deliveryCost", {}).get("value", 0)
        )
        refunds = [(f"{order['orderId']}-R1", total, order["lastModifiedDate"])]
    return refunds


def _refund(order, sale, refund_id, amount, date):
    currency = sale["amount"]["currency"]
    gross = float(sale["totalFeeBasisAmount"]["value"]) or 1.0
    share = min(amount / gross, 1.0)
    credited = _cents(
        sum(
            float(f["amount"]["value"])
            for line in sale["orderLineItems"]
            for f in line["marketplaceFees"]
            if f["feeType"] == "FINAL_VALUE_FEE"
        )
        * share
    )
    return {
        "transactionId": refund_id,
        "orderId": order["orderId"],
        "transactionType": "REFUND",
        "bookingEntry": "DEBIT",
        "transactionDate": date,
        "amount": money(_cents(amount) - credited, currency),
        "totalFeeBasisAmount": money(amount, currency),
        "totalFeeAmount": money(credited, currency),
        "orderLineItems": [
            {
                "lineItemId": sale["orderLineItems"][0]["lineItemId"],
                "feeBasisAmount": money(amount, currency),
                "marketplaceFees": [
                    {
                        "feeType": "FINAL_VALUE_FEE",
                        "amount": money(credited, currency),
                        "feeMemo": "Fee credited back with the refund",
                    }
                ],
            }
        ],
        "buyer": sale["buyer"],
        "salesRecordReference": "0",
        "paymentsEntity": "eBay Commerce Inc.",
    }


def transactions(state):
    """Every transaction, oldest first, with its status and payout."""
    found = []
    for order in orders(state).values():
        if order.get("orderPaymentStatus") not in PAID_STATUSES:
            continue
        sale = _sale(order)
        found.append(sale)
        for refund_id, amount, date in _refunds_of(order):
            found.append(_refund(order, sale, refund_id, amount, date))
    found.extend(dict(charge) for charge in finances(state)["charges"])
    paid_out = finances(state)["paid_out"]
    for transaction in found:
        payout_id = paid_out.get(transaction["transactionId"])
        if payout_id:
            transaction["transactionStatus"] = "PAYOUT"
            transaction["payoutId"] = payout_id
        else:
            transaction["transactionStatus"] = "FUNDS_AVAILABLE_FOR_PAYOUT"
    found.sort(key=lambda t: (parse_iso(t["transactionDate"]), t["transactionId"]))
    return found


def signed(transaction):
    value = float(transaction["amount"]["value"])
    return value if transaction["bookingEntry"] == "CREDIT" else -value


# -- control API -------------------------------------------------------------------
@route("POST", "/_emulator/finances/charges", auth=None)
def add_charge(req):
    body = req.json if isinstance(req.json, dict) else {}
    try:
        amount = float(body.get("amount"))
    except (TypeError, ValueError):
        return 400, {"error": "amount required"}, {}
    currency = str(body.get("currency") or "USD")
    with req.state.lock:
        charge = {
            "transactionId": f"NSC-{len(finances(req.state)['charges']) + 1:08d}",
            "transactionType": "NON_SALE_CHARGE",
            "bookingEntry": "DEBIT",
            "transactionDate": iso(req.state.now()),
            "amount": money(amount, currency),
            "totalFeeAmount": money(amount, currency),
            "feeType": str(body.get("feeType") or "INSERTION_FEE"),
            "transactionMemo": str(body.get("memo") or "Insertion fee"),
            "salesRecordReference": "0",
            "references": [{"referenceId": "0", "referenceType": "ITEM_ID"}],
        }
        finances(req.state)["charges"].append(charge)
    return 201, dict(charge, transactionStatus="FUNDS_AVAILABLE_FOR_PAYOUT"), {}


@route("POST", "/_emulator/payouts", auth=None)
def make_payout(req):
    body = req.json if isinstance(req.json, dict) else {}
    status = str(body.get("status") or "SUCCEEDED")
    if status not in PAYOUT_STATUSES:
        return 400, {"error": f"status must be one of {', '.join(PAYOUT_STATUSES)}"}, {}
    state = req.state
    with state.lock:
        currency = str(body.get("currency") or "USD")
        due = [
            t
            for t in transactions(state)
            if t["transactionStatus"] == "FUNDS_AVAILABLE_FOR_PAYOUT"
            and t["amount"]["currency"] == currency
        ]
        amount = _cents(sum(signed(t) for t in due))
        if not due or amount <= 0:
            return 409, {"error": "nothing to pay out"}, {}
        payout_id = str(FIRST_PAYOUT_NUMBER + len(finances(state)["payouts"]))
        payout = {
            "payoutId": payout_id,
            "payoutDate": iso(state.now()),
            "payoutStatus": status,
            "payoutStatusDescription": PAYOUT_STATUS_TEXTS[status],
            "amount": money(amount, currency),
            "payoutInstrument": {
                "instrumentType": "BANK",
                "nickname": "Checking",
                "accountLastFourDigits": "4242",
            },
            "transactionCount": len(due),
            "bankReference": f"EBAY PAYOUT {payout_id}",
            "payoutMemo": "Your funds are expected within 1-3 business days",
        }
        finances(state)["payouts"][payout_id] = payout
        for transaction in due:
            finances(state)["paid_out"][transaction["transactionId"]] = payout_id
    return 201, dict(payout), {}


@route("POST", "/_emulator/payouts/{payoutId}", auth=None)
def set_payout_status(req):
    body = req.json if isinstance(req.json, dict) else {}
    status = body.get("status")
    if status not in PAYOUT_STATUSES:
        return 400, {"error": f"status must be one of {', '.join(PAYOUT_STATUSES)}"}, {}
    with req.state.lock:
        payout = finances(req.state)["payouts"].get(req.params["payoutId"])
        if not payout:
            return 404, {"error": "no such payout"}, {}
        payout["payoutStatus"] = status
        payout["payoutStatusDescription"] = PAYOUT_STATUS_TEXTS[status]
        if status in ("RETRYABLE_FAILED", "TERMINAL_FAILED"):
            payout["lastAttemptedPayoutDate"] = iso(req.state.now())
    return 200, dict(payout), {}


# -- filters -----------------------------------------------------------------------
class BadFilter(ValueError):
    pass


def parse_filter(text):
    """{name: ("range", low, high) | ("values", {...})} of eBay's filter
    syntax; criteria separated by commas."""
    criteria = {}
    rest = CRITERION_RE.sub("", text or "").replace(",", "").strip()
    if rest:
        raise BadFilter(rest)
    for name, value in CRITERION_RE.findall(text or ""):
        inner = value[1:-1]
        if value.startswith("["):
            start, sep, end = inner.partition("..")
            if not sep:
                raise BadFilter(name)
            try:
                low = parse_iso(start) if start else None
                high = parse_iso(end) if end else None
            except ValueError as exc:
                raise BadFilter(name) from exc
            criteria[name] = ("range", low, high)
        else:
            criteria[name] = ("values", {v for v in inner.split("|") if v})
    return criteria


def _in_range(criterion, text):
    _kind, low, high = criterion
    moment = parse_iso(text)
    return (low is None or moment >= low) and (high is None or moment <= high)


def _page(query, maximum):
    """(limit, offset) or None when eBay refuses them."""
    try:
        limit = int(query.get("limit", DEFAULT_LIMIT))
        offset = int(query.get("offset", 0))
    except ValueError:
        return None
    if not 1 <= limit <= maximum or offset < 0:
        return None
    return limit, offset


def _paged(req, path, key, found, limit, offset):
    extra = "".join(
        f"&{name}={req.query[name]}"
        for name in ("filter", "sort")
        if req.query.get(name)
    )
    body = {
        "href": f"{req.base_url}{BASE}{path}?limit={limit}&offset={offset}{extra}",
        "limit": limit,
        "offset": offset,
        "total": len(found),
        key: found[offset : offset + limit],
    }
    if offset + limit < len(found):
        body["next"] = (
            f"{req.base_url}{BASE}{path}?limit={limit}&offset={offset + limit}{extra}"
        )
    if offset:
        body["prev"] = (
            f"{req.base_url}{BASE}{path}?limit={limit}"
            f"&offset={max(offset - limit, 0)}{extra}"
        )
    return body


def _matching_transactions(state, criteria):
    found = transactions(state)
    for name, criterion in criteria.items():
        if name == "transactionDate":
            found = [t for t in found if _in_range(criterion, t["transactionDate"])]
            continue
        values = criterion[1]
        if name == "transactionType":
            if not values <= set(TRANSACTION_TYPES):
                raise BadFilter(name)
            found = [t for t in found if t["transactionType"] in values]
        elif name == "transactionStatus":
            if not values <= set(TRANSACTION_STATUSES):
                raise BadFilter(name)
            found = [t for t in found if t["transactionStatus"] in values]
        elif name in ("payoutId", "orderId", "transactionId"):
            found = [t for t in found if t.get(name) in values]
        elif name == "buyerUsername":
            found = [
                t for t in found if (t.get("buyer") or {}).get("username") in values
            ]
    return found


# -- seller API ----------------------------------------------------------------------
def _page_and_sort(req, limit, field):
    """``(page, sort, None)`` of a listing call sorted by ``field``, or
    ``(None, None, error answer)``."""
    page = _page(req.query, limit)
    if page is None:
        return None, None, _err(135003, "The value of pagination is invalid.")
    sort = req.query.get("sort")
    if sort not in (None, field, f"-{field}"):
        return None, None, _err(135005, "The value of sort is invalid.")
    return page, sort, None


def _transactions_or_error(req, criteria):
    """``(transactions, None)`` matching ``criteria``, or ``(None, error
    answer)`` for a type or status filter eBay does not know."""
    with req.state.lock:
        try:
            return _matching_transactions(req.state, criteria), None
        except BadFilter as exc:
            error_id = 135006 if str(exc) == "transactionType" else 135007
            return None, _err(error_id, f"The value of {exc} filter is invalid.")


@route("GET", f"{BASE}/transaction")
def get_transactions(req):
    page, sort, error = _page_and_sort(req, TRANSACTION_LIMIT, "transactionDate")
    if error:
        return error
    try:
        criteria = parse_filter(req.query.get("filter"))
    except BadFilter as exc:
        if str(exc) == "transactionType":
            return _err(135006, "The value of transaction type filter is invalid.")
        if str(exc) == "transactionStatus":
            return _err(135007, "The value of transaction status filter is invalid.")
        return _err(135008, "The value of transaction date filter is invalid.")
    if "transactionId" in criteria and "transactionType" not in criteria:
        return _err(135009, "Transaction type filter is missing.")
    found, error = _transactions_or_error(req, criteria)
    if error:
        return error
    if sort != "transactionDate":
        found.reverse()  # eBay's default: the most recent first
    if not found:
        return 204, None, {}
    return 200, _paged(req, "/transaction", "transactions", found, *page), {}


@route("GET", f"{BASE}/transaction_summary")
def get_transaction_summary(req):
    try:
        criteria = parse_filter(req.query.get("filter"))
    except BadFilter:
        return _err(135008, "The value of transaction date filter is invalid.")
    if "transactionStatus" not in criteria:
        return _err(135011, "Transaction status filter is mandatory.")
    found, error = _transactions_or_error(req, criteria)
    if error:
        return error
    currency = found[0]["amount"]["currency"] if found else "USD"
    body = {}
    for kind, prefix, booking in (
        ("SALE", "credit", "CREDIT"),
        ("REFUND", "refund", "DEBIT"),
        ("NON_SALE_CHARGE", "nonSaleCharge", "DEBIT"),
    ):
        chosen = [t for t in found if t["transactionType"] == kind]
        body[f"{prefix}Count"] = len(chosen)
        body[f"{prefix}Amount"] = money(
            _cents(sum(float(t["amount"]["value"]) for t in chosen)), currency
        )
        body[f"{prefix}BookingEntry"] = booking
    return 200, body, {}


@route("GET", f"{BASE}/payout")
def get_payouts(req):
    page, sort, error = _page_and_sort(req, PAYOUT_LIMIT, "payoutDate")
    if error:
        return error
    try:
        criteria = parse_filter(req.query.get("filter"))
    except BadFilter:
        return _err(135004, "The value of payout date filter is invalid.")
    with req.state.lock:
        found = [dict(p) for p in finances(req.state)["payouts"].values()]
    for name, criterion in criteria.items():
        if name == "payoutDate":
            found = [p for p in found if _in_range(criterion, p["payoutDate"])]
        elif name == "payoutStatus":
            if len(criterion[1]) != 1 or not criterion[1] <= set(PAYOUT_STATUSES):
                return _err(135002, "The value of payout status filter is invalid.")
            found = [p for p in found if p["payoutStatus"] in criterion[1]]
    found.sort(key=lambda p: (parse_iso(p["payoutDate"]), p["payoutId"]))
    if sort != "payoutDate":
        found.reverse()
    if not found:
        return 204, None, {}
    return 200, _paged(req, "/payout", "payouts", found, *page), {}


@route("GET", f"{BASE}/payout/{{payout_Id}}")
def get_payout(req):
    with req.state.lock:
        payout = finances(req.state)["payouts"].get(req.params["payout_Id"])
        payout = dict(payout) if payout else None
    if payout is None:
        return _err(135001, "The payout id was not found.", 404)
    return 200, payout, {}
