"""The emulator's Amazon orders, kept in the Orders API 2026-01-01 ``Order``
shape (models/orders-api-model/orders_2026-01-01.json).

Every order holds all of its ``includedData`` parts (buyer, recipient,
proceeds, fulfillment, packages, tax...): the API strips what a call did not
ask for and what its caller may not see (``orders_api.py``).  Orders live in
``state.data["orders"]`` ({orderId: {"seller_id", "order"}}), so a reset
forgets them; time is the control clock (``state.now()``).

Money follows the model: ``{"amount": "12.50", "currencyCode": "USD"}``
(``Decimal`` is a string), in the marketplace's currency.  What a buyer pays
is broken down per item and per order into ITEM, SHIPPING, GIFT_WRAP and TAX
(``proceeds.breakdowns``); the tax is the one Amazon collects as marketplace
facilitator (each item's ``tax.taxCollections`` says so).  Whether Amazon's
``grandTotal`` counts a tax it withholds is UNCONFIRMED: here it is the sum
of the breakdowns, TAX included, so a reader that leaves the tax out must
subtract it (the safe side: nothing is hidden).

Listeners (``add_listener``) hear every change once it is stored, outside
the lock, with a copy of the order: NS's SQS delivery registers one.  They
are kept on the state object, not in ``data``: they belong to the server,
and survive a reset.
"""

import copy
import datetime
import hashlib
import logging
from decimal import ROUND_HALF_UP, Decimal

from .marketplaces import MARKETPLACES

_logger = logging.getLogger(__name__)

# The model's FulfillmentStatus values (searchOrders' fulfillmentStatuses).
STATUSES = (
    "PENDING_AVAILABILITY",
    "PENDING",
    "UNSHIPPED",
    "PARTIALLY_SHIPPED",
    "SHIPPED",
    "CANCELLED",
    "UNFULFILLABLE",
)
FULFILLED_BY = ("MERCHANT", "AMAZON")
CHANGE_TYPES = ("created", "status", "cancelled", "shipped")
# A status from which an order may no longer move (the control API refuses).
FINAL_STATUSES = frozenset({"CANCELLED", "SHIPPED", "UNFULFILLABLE"})
CENT = Decimal("0.01")
# The party that withholds marketplace facilitator tax, per region
# [UNCONFIRMED: Amazon's exact wording of responsibleParty].
RESPONSIBLE_PARTY = {
    "NA": "Amazon Services, Inc.",
    "EU": "Amazon Services Europe S.a r.l.",
    "FE": "Amazon Japan G.K.",
}
DEFAULT_BUYER = {"buyerName": "Jane Buyer"}
DEFAULT_ADDRESSES = {
    "US": {
        "addressLine1": "410 Terry Ave N",
        "city": "Seattle",
        "stateOrRegion": "WA",
        "postalCode": "98109",
    },
    "CA": {
        "addressLine1": "120 Bremner Blvd",
        "city": "Toronto",
        "stateOrRegion": "ON",
        "postalCode": "M5J 0A8",
    },
}
ADDRESS_KEYS = frozenset(
    {
        "name",
        "companyName",
        "addressLine1",
        "addressLine2",
        "addressLine3",
        "city",
        "districtOrCounty",
        "stateOrRegion",
        "municipality",
        "postalCode",
        "countryCode",
        "phone",
        "addressType",
    }
)
BUYER_KEYS = frozenset(
    {"buyerName", "buyerEmail", "buyerCompanyName", "buyerPurchaseOrderNumber"}
)
PACKAGE_KEYS = frozenset(
    {
        "packageReferenceId",
        "carrier",
        "trackingNumber",
        "shipTime",
        "shippingService",
        "shipFromAddress",
        "packageItems",
    }
)


class OrderError(ValueError):
    """A request the store refuses (bad kwargs, an impossible shipment);
    its text says why, for a 400 answer."""


def iso(timestamp, precise=False):
    """A POSIX time as the model's date-time (UTC, ``Z``): whole seconds, or
    milliseconds when ``precise`` (an order's own times, see :meth:`stamp`)."""
    millis = round(timestamp * 1000)
    moment = datetime.datetime.fromtimestamp(millis // 1000, datetime.timezone.utc)
    if precise:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis % 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text):
    """An ISO 8601 date-time as a POSIX time; ValueError when it is not one.
    Without an offset it is UTC."""
    moment = datetime.datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp()


def _decimal(value, what):
    try:
        amount = Decimal(str(value))
    except ArithmeticError as exc:
        raise OrderError(f"{what} must be a number") from exc
    if not amount.is_finite() or amount < 0:
        raise OrderError(f"{what} must be a number of at least 0")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money(amount, currency):
    return {"amount": str(Decimal(amount).quantize(CENT)), "currencyCode": currency}


def _spread(total, weights):
    """``total`` split over ``weights`` in cents, the remainder on the last."""
    whole = sum(weights)
    if not weights:
        return []
    if whole == 0:
        return [total] + [Decimal("0.00")] * (len(weights) - 1)
    parts = [(total * w / whole).quantize(CENT, ROUND_HALF_UP) for w in weights[:-1]]
    return [*parts, total - sum(parts, Decimal("0.00"))]


def _asin(sku):
    digest = hashlib.sha1(sku.encode()).hexdigest().upper()
    return f"B0{digest[:8]}"


def _lines(items):
    """``items`` checked: [(index, item, sku, quantity, unit price)]."""
    if not isinstance(items, list) or not items:
        raise OrderError("items must be a non-empty list")
    lines = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise OrderError("each item must be an object")
        sku = item.get("sku")
        quantity = item.get("quantity")
        if not isinstance(sku, str) or not sku:
            raise OrderError("each item needs a sku")
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise OrderError(f"item {sku}: quantity must be a positive integer")
        price = _decimal(item.get("price", 0), f"item {sku}: price")
        lines.append((index, item, sku, quantity, price))
    return lines


def _gift(gift_wrap, lines):
    """(price, index of the wrapped item or None, its GiftOption)."""
    if gift_wrap is None:
        return Decimal("0.00"), None, None
    if not isinstance(gift_wrap, dict):
        raise OrderError("gift_wrap must be an object")
    price = _decimal(gift_wrap.get("price", 0), "gift_wrap price")
    sku = gift_wrap.get("sku") or lines[0][2]
    index = next((i for i, _item, s, _q, _p in lines if s == sku), None)
    if index is None:
        raise OrderError(f"gift_wrap sku {sku} is not an item")
    option = {"giftWrapLevel": gift_wrap.get("level") or "Classic"}
    if gift_wrap.get("message"):
        option["giftMessage"] = gift_wrap["message"]
    return price, index, option


def _listeners(state):
    with state.lock:
        if not hasattr(state, "order_listeners"):
            state.order_listeners = []
        return state.order_listeners


class OrdersStore:
    """The orders of every seller of one emulator state (see the module
    docstring).  Cheap to build: it holds nothing but the state."""

    def __init__(self, state):
        self.state = state

    # -- storage ----------------------------------------------------------------
    @property
    def _orders(self):
        return self.state.data.setdefault("orders", {})

    def stamp(self):
        """The time of a change: the clock in milliseconds, strictly after
        every stamp before it.  So "changed at or before T" is exact, and a
        search run's bound (``orders_api``) never cuts a millisecond in two:
        an order changed after the bound was taken has a later stamp
        [design: Amazon writes whole seconds; milliseconds are ISO 8601 too]."""
        with self.state.lock:
            now = round(self.state.now(), 3)
            last = self.state.data.get("order_clock", 0.0)
            stamp = max(now, round(last + 0.001, 3))
            self.state.data["order_clock"] = stamp
            return stamp

    def _next_sequence(self):
        number = self.state.data.get("order_sequence", 0) + 1
        self.state.data["order_sequence"] = number
        return number

    def seller_of(self, order_id):
        with self.state.lock:
            entry = self._orders.get(order_id)
            return entry["seller_id"] if entry else None

    def get(self, seller_id, order_id):
        """The stored order (the live dict: change it through this store),
        or None when ``seller_id`` has no such order."""
        with self.state.lock:
            entry = self._orders.get(order_id)
            if entry is None or entry["seller_id"] != seller_id:
                return None
            return entry["order"]

    @property
    def _times(self):
        # orderId -> (created, last updated) as POSIX times (the stamps).
        return self.state.data.setdefault("order_times", {})

    def times(self, order_id):
        """(created, last updated) of an order, as POSIX times."""
        with self.state.lock:
            return self._times[order_id]

    def all(self, seller_id=None):
        """The orders (of ``seller_id``), oldest first."""
        with self.state.lock:
            return [
                e["order"]
                for e in self._orders.values()
                if seller_id is None or e["seller_id"] == seller_id
            ]

    # -- listeners --------------------------------------------------------------
    def add_listener(self, fn):
        """``fn(seller_id, order, change_type)`` after every change (a copy of
        the order; change_type one of :data:`CHANGE_TYPES`).  Adding the same
        function twice keeps one."""
        listeners = _listeners(self.state)
        with self.state.lock:
            if fn not in listeners:
                listeners.append(fn)

    def remove_listener(self, fn):
        listeners = _listeners(self.state)
        with self.state.lock:
            if fn in listeners:
                listeners.remove(fn)

    def _notify(self, seller_id, order, change_type):
        with self.state.lock:
            listeners = list(_listeners(self.state))
            snapshot = copy.deepcopy(order)
        for fn in listeners:
            try:
                fn(seller_id, copy.deepcopy(snapshot), change_type)
            except Exception:  # a listener's bug must not undo the change
                _logger.exception(
                    "order listener %r failed on %s", fn, order["orderId"]
                )

    # -- create -----------------------------------------------------------------
    def create(
        self,
        seller_id,
        marketplace_id,
        items,
        fulfilled_by="MERCHANT",
        status="UNSHIPPED",
        shipping=0.0,
        gift_wrap=None,
        tax=0.0,
        buyer=None,
        ship_to=None,
        order_id=None,
    ):
        """A new order of ``seller_id`` (see AMAZON13_DESIGN.md): ``items``
        ``[{"sku", "quantity", "price", "title"?, "asin"?}]`` (price: the unit
        price); ``shipping`` and ``tax`` are order totals, spread over the
        items (shipping on the first item, tax by item value); ``gift_wrap``
        ``{"price", "message"?, "level"?, "sku"?}`` on the item of that SKU
        (default the first); ``buyer`` the model's Buyer keys, ``ship_to``
        its CustomerAddress keys.  Raises OrderError on bad input."""
        state = self.state
        with state.lock:
            seller = state.sellers.get(seller_id)
            if seller is None:
                raise OrderError(f"unknown seller {seller_id}")
            if marketplace_id not in seller["marketplaces"]:
                raise OrderError(
                    f"seller {seller_id} does not sell in {marketplace_id}"
                )
            if fulfilled_by not in FULFILLED_BY:
                raise OrderError(f"fulfilled_by must be one of {list(FULFILLED_BY)}")
            if status not in STATUSES or status in ("PARTIALLY_SHIPPED", "SHIPPED"):
                raise OrderError(
                    "status must be one of PENDING_AVAILABILITY, PENDING, "
                    "UNSHIPPED, CANCELLED, UNFULFILLABLE (shipments come from "
                    "record_shipment)"
                )
            if order_id is not None and (
                not isinstance(order_id, str)
                or not order_id
                or order_id in self._orders
            ):
                raise OrderError(f"order_id {order_id!r} is taken or not a string")
            number = self._next_sequence()
            now = self.stamp()
            order_id = order_id or (
                f"{111 + number % 889:03d}-{(number * 7919) % 10**7:07d}-{number:07d}"
            )
            order = self._build(
                number,
                order_id,
                now,
                seller,
                marketplace_id,
                items,
                fulfilled_by,
                status,
                shipping,
                gift_wrap,
                tax,
                buyer,
                ship_to,
            )
            self._orders[order_id] = {"seller_id": seller_id, "order": order}
            self._times[order_id] = (now, now)
        self._notify(seller_id, order, "created")
        return order

    def _build(
        self,
        number,
        order_id,
        now,
        seller,
        marketplace_id,
        items,
        fulfilled_by,
        status,
        shipping,
        gift_wrap,
        tax,
        buyer,
        ship_to,
    ):
        country, name, currency, _lang, _domain, region = MARKETPLACES[marketplace_id]
        lines = _lines(items)
        shipping = _decimal(shipping or 0, "shipping")
        tax = _decimal(tax or 0, "tax")
        wrap_price, wrap_index, gift_option = _gift(gift_wrap, lines)
        buyer = dict(DEFAULT_BUYER if buyer is None else buyer)
        if not isinstance(buyer, dict) or set(buyer) - BUYER_KEYS:
            raise OrderError(f"buyer takes only {sorted(BUYER_KEYS)}")
        if fulfilled_by == "MERCHANT":
            # The model: the (anonymised) email is given for FBM orders only.
            buyer.setdefault("buyerEmail", f"buyer{number}@marketplace.amazon.com")
        else:
            buyer.pop("buyerEmail", None)
        address = dict(DEFAULT_ADDRESSES.get(country) or DEFAULT_ADDRESSES["US"])
        address.update(
            name=buyer.get("buyerName") or "Jane Buyer",
            countryCode=country,
            phone="+1 206-555-0100",
            addressType="RESIDENTIAL",
        )
        if ship_to is not None:
            if not isinstance(ship_to, dict) or set(ship_to) - ADDRESS_KEYS:
                raise OrderError(f"ship_to takes only {sorted(ADDRESS_KEYS)}")
            address.update(ship_to)
        values = [quantity * price for _i, _it, _s, quantity, price in lines]
        taxes = _spread(tax, values)
        created = iso(now, precise=True)
        order_items = []
        totals = {"ITEM": Decimal(0), "SHIPPING": Decimal(0), "GIFT_WRAP": Decimal(0)}
        for (index, item, sku, quantity, price), value, item_tax in zip(
            lines, values, taxes, strict=True
        ):
            item_shipping = shipping if index == 0 else Decimal("0.00")
            item_wrap = wrap_price if index == wrap_index else Decimal("0.00")
            totals["ITEM"] += value
            totals["SHIPPING"] += item_shipping
            totals["GIFT_WRAP"] += item_wrap
            breakdowns = [
                {"type": "ITEM", "subtotal": money(value, currency)},
                {"type": "SHIPPING", "subtotal": money(item_shipping, currency)},
            ]
            if index == wrap_index:
                breakdowns.append(
                    {"type": "GIFT_WRAP", "subtotal": money(item_wrap, currency)}
                )
            breakdowns.append(
                {
                    "type": "TAX",
                    "subtotal": money(item_tax, currency),
                    "detailedBreakdowns": [
                        {"subtype": "ITEM", "value": money(item_tax, currency)}
                    ],
                }
            )
            fulfillment = {"quantityFulfilled": 0, "quantityUnfulfilled": quantity}
            if index == wrap_index:
                fulfillment["packing"] = {"giftOption": gift_option}
            order_items.append(
                {
                    "orderItemId": f"{number:08d}{index + 1:06d}",
                    "quantityOrdered": quantity,
                    "product": {
                        "asin": item.get("asin") or _asin(sku),
                        "title": item.get("title") or f"Product {sku}",
                        "sellerSku": sku,
                        "condition": {
                            "conditionType": "NEW",
                            "conditionSubtype": "NEW",
                        },
                        "price": {"unitPrice": money(price, currency)},
                    },
                    "proceeds": {
                        "proceedsTotal": money(
                            value + item_shipping + item_wrap + item_tax, currency
                        ),
                        "breakdowns": breakdowns,
                    },
                    "expense": {},
                    "promotion": {"breakdowns": []},
                    "cancellation": {},
                    "fulfillment": fulfillment,
                    "tax": {
                        "taxCollections": [
                            {
                                "model": "MARKETPLACE_FACILITATOR",
                                "responsibleParty": RESPONSIBLE_PARTY[region],
                            }
                        ]
                    },
                }
            )
        order_breakdowns = [
            {"type": "ITEM", "subtotal": money(totals["ITEM"], currency)},
            {"type": "SHIPPING", "subtotal": money(totals["SHIPPING"], currency)},
        ]
        if wrap_index is not None:
            order_breakdowns.append(
                {"type": "GIFT_WRAP", "subtotal": money(totals["GIFT_WRAP"], currency)}
            )
        order_breakdowns.append({"type": "TAX", "subtotal": money(tax, currency)})
        grand = totals["ITEM"] + totals["SHIPPING"] + totals["GIFT_WRAP"] + tax
        day = 86400
        order = {
            "orderId": order_id,
            "createdTime": created,
            "lastUpdatedTime": created,
            "salesChannel": {
                "channelName": "AMAZON",
                "marketplaceId": marketplace_id,
                "marketplaceName": name,
            },
            "buyer": buyer,
            "recipient": {"deliveryAddress": address},
            "proceeds": {
                "grandTotal": money(grand, currency),
                "breakdowns": order_breakdowns,
            },
            "payment": {
                "paymentExecutions": [
                    {
                        "paymentMethod": "CreditCard",
                        "paymentAmount": money(grand, currency),
                    }
                ]
            },
            "tax": {},
            "fulfillment": {
                "fulfillmentStatus": status,
                "fulfilledBy": fulfilled_by,
                "fulfillmentServiceLevel": "STANDARD",
                "shipByWindow": {
                    "earliestDateTime": created,
                    "latestDateTime": iso(now + 2 * day),
                },
                "deliverByWindow": {
                    "earliestDateTime": iso(now + 3 * day),
                    "latestDateTime": iso(now + 7 * day),
                },
            },
            "orderItems": order_items,
            "packages": [],
            "fulfillmentOrders": [],
        }
        if status == "CANCELLED":
            self._cancel_items(order, "AMAZON", "Cancelled at creation")
        return order

    # -- search -----------------------------------------------------------------
    def search(
        self,
        seller_id,
        created_after=None,
        created_before=None,
        last_updated_after=None,
        last_updated_before=None,
        marketplace_ids=None,
        fulfilled_by=None,
        statuses=None,
    ):
        """The orders of ``seller_id`` matching every filter given (times are
        POSIX, bounds inclusive as the model says), sorted by lastUpdatedTime,
        or createdTime when searching by creation (stamps are unique: the
        order searchOrders pages in)."""
        by_created = created_after is not None or created_before is not None
        found = []
        for order in self.all(seller_id):
            created, updated = self.times(order["orderId"])
            if created_after is not None and created < created_after:
                continue
            if created_before is not None and created > created_before:
                continue
            if last_updated_after is not None and updated < last_updated_after:
                continue
            if last_updated_before is not None and updated > last_updated_before:
                continue
            if (
                marketplace_ids
                and order["salesChannel"]["marketplaceId"] not in marketplace_ids
            ):
                continue
            if fulfilled_by and order["fulfillment"]["fulfilledBy"] not in fulfilled_by:
                continue
            if statuses and order["fulfillment"]["fulfillmentStatus"] not in statuses:
                continue
            found.append(order)
        index = 0 if by_created else 1
        found.sort(key=lambda o: self.times(o["orderId"])[index])
        return found

    # -- changes ----------------------------------------------------------------
    def change(self, order, change_type, **updates):
        """Apply ``updates`` (``status=...``, or top-level Order keys), bump
        ``lastUpdatedTime`` from the clock, then tell the listeners."""
        if change_type not in CHANGE_TYPES:
            raise OrderError(f"change_type must be one of {list(CHANGE_TYPES)}")
        with self.state.lock:
            seller_id = self.seller_of(order["orderId"])
            if seller_id is None:
                raise OrderError(f"unknown order {order['orderId']}")
            status = updates.pop("status", None)
            if status is not None:
                if status not in STATUSES:
                    raise OrderError(f"status must be one of {list(STATUSES)}")
                order["fulfillment"]["fulfillmentStatus"] = status
            order.update(updates)
            stamp = self.stamp()
            order["lastUpdatedTime"] = iso(stamp, precise=True)
            self._times[order["orderId"]] = (self._times[order["orderId"]][0], stamp)
        self._notify(seller_id, order, change_type)
        return order

    def set_status(self, order, status):
        """The control API's status change; CANCELLED goes through
        :meth:`cancel`, shipped ones through :meth:`record_shipment`."""
        if status == "CANCELLED":
            return self.cancel(order)
        if status not in STATUSES or status in ("PARTIALLY_SHIPPED", "SHIPPED"):
            raise OrderError(
                f"status must be one of {list(STATUSES)}; shipments are recorded "
                "by confirmShipment"
            )
        with self.state.lock:
            current = order["fulfillment"]["fulfillmentStatus"]
            if current in FINAL_STATUSES or current == "PARTIALLY_SHIPPED":
                raise OrderError(f"order {order['orderId']} is {current}")
        return self.change(order, "status", status=status)

    def cancel(self, order, cancelled_by="BUYER", reason="Buyer cancelled"):
        with self.state.lock:
            current = order["fulfillment"]["fulfillmentStatus"]
            if current in FINAL_STATUSES or current == "PARTIALLY_SHIPPED":
                raise OrderError(f"order {order['orderId']} is {current}")
            self._cancel_items(order, cancelled_by, reason)
        return self.change(order, "cancelled", status="CANCELLED")

    @staticmethod
    def _cancel_items(order, cancelled_by, reason):
        order["fulfillment"]["fulfillmentStatus"] = "CANCELLED"
        for item in order["orderItems"]:
            item["cancellation"] = {
                "cancellationExecution": {
                    "cancelledBy": cancelled_by,
                    "cancelReason": reason,
                }
            }

    def record_shipment(self, order, package):
        """A package shipped (SH's confirmShipment): ``package`` in the
        model's ``OrderPackage`` shape (``packageReferenceId``, ``carrier``,
        ``trackingNumber``, ``shippingService``?, ``shipTime``?,
        ``packageItems`` [{orderItemId, quantity}]).  Appends it to the
        order's packages, raises the items' fulfilled quantities, sets
        PARTIALLY_SHIPPED or SHIPPED, then ``change(order, "shipped")``.
        OrderError (nothing changed) for an order that cannot ship, a
        package reference already used, an unknown item or more units than
        remain."""
        if not isinstance(package, dict) or set(package) - PACKAGE_KEYS:
            raise OrderError(f"package takes only {sorted(PACKAGE_KEYS)}")
        reference = package.get("packageReferenceId")
        if not isinstance(reference, str) or not reference:
            raise OrderError("package needs a packageReferenceId")
        with self.state.lock:
            fulfillment = order["fulfillment"]
            if fulfillment["fulfilledBy"] != "MERCHANT":
                raise OrderError("Amazon ships the orders it fulfills")
            if fulfillment["fulfillmentStatus"] not in (
                "UNSHIPPED",
                "PARTIALLY_SHIPPED",
            ):
                raise OrderError(
                    f"order {order['orderId']} is {fulfillment['fulfillmentStatus']}"
                )
            if any(p["packageReferenceId"] == reference for p in order["packages"]):
                raise OrderError(f"package {reference} is already recorded")
            items = {i["orderItemId"]: i for i in order["orderItems"]}
            wanted = {}
            for entry in package.get("packageItems") or []:
                item_id = entry.get("orderItemId") if isinstance(entry, dict) else None
                quantity = entry.get("quantity") if isinstance(entry, dict) else None
                if item_id not in items:
                    raise OrderError(f"unknown orderItemId {item_id}")
                if not isinstance(quantity, int) or quantity < 1:
                    raise OrderError(f"item {item_id}: quantity must be positive")
                wanted[item_id] = wanted.get(item_id, 0) + quantity
            if not wanted:
                raise OrderError("package needs packageItems")
            for item_id, quantity in wanted.items():
                left = items[item_id]["fulfillment"]["quantityUnfulfilled"]
                if quantity > left:
                    raise OrderError(
                        f"item {item_id}: {quantity} units shipped, {left} unshipped"
                    )
            now = iso(self.state.now(), precise=True)
            for item_id, quantity in wanted.items():
                item_fulfillment = items[item_id]["fulfillment"]
                item_fulfillment["quantityFulfilled"] += quantity
                item_fulfillment["quantityUnfulfilled"] -= quantity
            stored = {
                "packageReferenceId": reference,
                "createdTime": now,
                "packageStatus": {"status": "SHIPPED"},
                **{
                    k: copy.deepcopy(v) for k, v in package.items() if k in PACKAGE_KEYS
                },
            }
            stored.setdefault("shipTime", now)
            order["packages"].append(stored)
            done = all(
                i["fulfillment"]["quantityUnfulfilled"] == 0
                for i in order["orderItems"]
            )
            status = "SHIPPED" if done else "PARTIALLY_SHIPPED"
        return self.change(order, "shipped", status=status)
