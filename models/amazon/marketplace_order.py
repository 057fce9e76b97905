"""Amazon's orders: the Orders API 2026-01-01 ``Order`` read into the neutral
OrderValues.

Whatever Amazon says about an order (a searchOrders page, getOrder after a
notification or a refresh) goes through :func:`amazon_order_values`, so the
neutral import never sees Amazon's JSON.
"""

import json
from datetime import datetime, timezone

from odoo import api, fields, models
from odoo.exceptions import UserError

from ...amazon.errors import AmazonError
from ..marketplace.order_values import Address, Charge, Money, OrderLine, OrderValues

# Amazon has the order but the seller may not ship it yet: PENDING (payment
# not through), PENDING_AVAILABILITY (a pre-order), UNFULFILLABLE (an FBA
# order Amazon cannot fulfil).  Staged, no sale order, until it moves on.
WAITING_STATUSES = frozenset({"PENDING", "PENDING_AVAILABILITY", "UNFULFILLABLE"})
# The seller may ship (or Amazon did): the buyer has paid.
PAID_STATUSES = frozenset({"UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED"})
CANCELLED = "CANCELLED"
# Tax Amazon withholds and remits itself (item.tax.taxCollections[].model).
MARKETPLACE_FACILITATOR = "MARKETPLACE_FACILITATOR"
# The proceeds categories read as charges (each a service line) besides the
# items (ITEM), the delivery (SHIPPING) and the tax (TAX).  DELIVERY_TIP is
# charged after checkout and goes to the driver, not to the seller: left
# out.
CHARGE_KINDS = {
    "GIFT_WRAP": "gift_wrap",
    "COD_FEE": "cod_fee",
    "DISCOUNT": "discount",
    "OTHER": "other",
}


class MarketplaceOrder(models.Model):
    _inherit = "marketplace.order"

    # The marketplace the order was placed in (salesChannel.marketplaceId):
    # confirmShipment names it.
    amazon_marketplace_id = fields.Char(
        string="Amazon marketplace", readonly=True, system_field=True
    )

    @api.model
    def _marketplace_order_values(self, account, data):
        if account.channel != "amazon":
            return super()._marketplace_order_values(account, data)
        return amazon_order_values(data)

    @api.model
    def _import_payloads(self, account, payloads):
        orders = super()._import_payloads(account, payloads)
        if account.channel == "amazon":
            for order, data in zip(orders, payloads, strict=True):
                marketplace = (data.get("salesChannel") or {}).get("marketplaceId")
                if marketplace and marketplace != order.amazon_marketplace_id:
                    order.amazon_marketplace_id = marketplace
        return orders

    @api.model
    def _marketplace_sold_on(self, account, data):
        if account.channel != "amazon":
            return super()._marketplace_sold_on(account, data)
        return (data.get("salesChannel") or {}).get("marketplaceId") or data.get(
            "MarketplaceId"
        )

    def _marketplace_sold_on_name(self):
        if self.account_id.channel != "amazon":
            return super()._marketplace_sold_on_name()
        participation = self.account_id.amazon_participation_ids.filtered(
            lambda p: p.marketplace_id == self.sold_on
        )[:1]
        return participation.display_name or False

    def _marketplace_fetch_order(self):
        if self.account_id.channel != "amazon":
            return super()._marketplace_fetch_order()
        account = self.account_id
        try:
            [(_order_id, data)] = account._amazon_read_orders(
                account._amazon_client(), [self.remote_order_id]
            )
            return data
        except AmazonError as err:
            raise UserError(err.user_message) from err

    def _shipping_product(self):
        if self.account_id.channel != "amazon":
            return super()._shipping_product()
        return self.env.ref("marketplace_connector.product_amazon_shipping")


def amazon_order_values(data):
    """The OrderValues of one ``Order`` as the Orders API 2026-01-01 gives it
    (a searchOrders page's entry or getOrder's ``order``)."""
    order_id = data["orderId"]
    fulfillment = data.get("fulfillment") or {}
    status = fulfillment.get("fulfillmentStatus")
    items = data.get("orderItems") or []
    proceeds = data.get("proceeds") or {}
    totals = _order_breakdowns(proceeds, items)
    currency = _currency(data, proceeds, items)
    buyer = data.get("buyer") or {}
    address = (data.get("recipient") or {}).get("deliveryAddress") or {}
    collected, own_tax = _taxes(items, totals)
    charges = [
        Charge(kind, _charge_label(kind, items), Money(totals[category], currency))
        for category, kind in CHARGE_KINDS.items()
        if totals.get(category)
    ]
    if own_tax:
        # Tax Amazon does not say it collects is the seller's: a line of its
        # own, so the sale order's total is what the buyer paid.
        charges.append(Charge("tax", "Tax", Money(own_tax, currency)))
    return OrderValues(
        remote_order_id=order_id,
        buyer_username=_buyer_key(order_id, buyer, address),
        lines=tuple(_line(item, currency) for item in items),
        buyer=Address(name=buyer.get("buyerName"), email=buyer.get("buyerEmail")),
        ship_to=Address(
            name=address.get("name"),
            street=address.get("addressLine1"),
            street2=", ".join(
                part
                for part in (address.get("addressLine2"), address.get("addressLine3"))
                if part
            )
            or None,
            city=address.get("city"),
            zip=address.get("postalCode"),
            country_code=address.get("countryCode"),
            state_code=address.get("stateOrRegion"),
            phone=address.get("phone"),
        ),
        # What the buyer paid, tax included (as eBay's total).
        total=Money(_amount(proceeds.get("grandTotal")), currency),
        delivery_cost=Money(totals.get("SHIPPING", 0.0), currency),
        # Sales tax Amazon withholds as marketplace facilitator: not the
        # seller's to charge, so the sale order's lines carry no tax (as
        # eBay's collect-and-remit tax).
        collected_tax=collected,
        created_at=parse_amazon_datetime(data.get("createdTime")),
        modified_at=parse_amazon_datetime(data.get("lastUpdatedTime")),
        fulfillment_status=status,
        cancel_state=CANCELLED if status == CANCELLED else None,
        paid=status in PAID_STATUSES,
        cancelled=status == CANCELLED,
        waiting=status in WAITING_STATUSES,
        fulfilled_by_marketplace=fulfillment.get("fulfilledBy") == "AMAZON",
        charges=tuple(charges),
        payload=json.dumps(data),
    )


def _buyer_key(order_id, buyer, address):
    """What the neutral import matches the buyer's partner on.

    Amazon gives no buyer id nor username.  Its buyerEmail is an anonymised
    relay address (FBM orders only, and only with a Restricted Data Token);
    the model does not promise it is stable from one order to the next, so
    at worst it makes one partner per order, and it never joins two buyers
    under one partner (a name and a postal code could: two J. Smiths of one
    town would see each other's addresses).  Without it (an FBA order) the
    order's id is the key: one partner per order, for the same reason.
    None when the data carries no buyer at all (a searchOrders page read
    without a token): the order keeps the buyer it was imported with.
    """
    if buyer.get("buyerEmail"):
        return buyer["buyerEmail"].strip().lower()
    if buyer.get("buyerName") or address.get("name") or address.get("addressLine1"):
        return f"amazon-order:{order_id}"
    return None


def _line(item, currency):
    product = item.get("product") or {}
    quantity = item.get("quantityOrdered") or 1
    breakdown = _item_breakdowns(item)
    if "ITEM" in breakdown:
        total = breakdown["ITEM"]
    else:
        total = _amount((product.get("price") or {}).get("unitPrice")) * quantity
    return OrderLine(
        remote_line_id=item.get("orderItemId"),
        sku=product.get("sellerSku"),
        title=product.get("title"),
        quantity=quantity,
        total=Money(total, currency),
    )


def _item_breakdowns(item):
    totals = {}
    for entry in (item.get("proceeds") or {}).get("breakdowns") or []:
        kind = entry.get("type")
        totals[kind] = totals.get(kind, 0.0) + _amount(entry.get("subtotal"))
    return totals


def _order_breakdowns(proceeds, items):
    """{category: amount} of the order: Amazon's order-level breakdowns
    (aggregated over the items), else the sum of the items' own."""
    totals = {}
    entries = proceeds.get("breakdowns")
    if entries:
        for entry in entries:
            kind = entry.get("type")
            totals[kind] = totals.get(kind, 0.0) + _amount(entry.get("subtotal"))
        return totals
    for item in items:
        for kind, amount in _item_breakdowns(item).items():
            totals[kind] = totals.get(kind, 0.0) + amount
    return totals


def _taxes(items, totals):
    """(tax Amazon collects, tax left to the seller).

    Per item when the items carry their tax breakdown: an item whose
    taxCollections name MARKETPLACE_FACILITATOR has its tax withheld by
    Amazon.  When they do not, the order's TAX is taken as Amazon's: in the
    marketplaces this connector serves (US, CA, EU, UK...) Amazon is the
    marketplace facilitator of nearly all sales [UNCONFIRMED for every
    region]; the seller's own tax is not modelled further."""
    collected = own = 0.0
    itemised = False
    for item in items:
        breakdown = _item_breakdowns(item)
        if "TAX" not in breakdown:
            continue
        itemised = True
        models_ = {
            c.get("model") for c in (item.get("tax") or {}).get("taxCollections") or []
        }
        if MARKETPLACE_FACILITATOR in models_:
            collected += breakdown["TAX"]
        else:
            own += breakdown["TAX"]
    if not itemised:
        collected = totals.get("TAX", 0.0)
    return round(collected, 2), round(own, 2)


def _charge_label(kind, items):
    if kind != "gift_wrap":
        return {
            "cod_fee": "Cash on delivery fee",
            "discount": "Discount",
            "other": "Other charge",
        }[kind]
    # The level only: the gift message is the buyer's text for the parcel,
    # which the packer reads on Amazon's packing slip.
    levels = sorted(
        {
            option.get("giftWrapLevel")
            for item in items
            for option in [
                (
                    ((item.get("fulfillment") or {}).get("packing") or {}).get(
                        "giftOption"
                    )
                )
                or {}
            ]
            if option.get("giftWrapLevel")
        }
    )
    return f"Gift wrap ({', '.join(levels)})" if levels else "Gift wrap"


def _currency(data, proceeds, items):
    grand = proceeds.get("grandTotal") or {}
    if grand.get("currencyCode"):
        return grand["currencyCode"]
    for item in items:
        price = ((item.get("product") or {}).get("price") or {}).get("unitPrice")
        if price and price.get("currencyCode"):
            return price["currencyCode"]
    return None


def _amount(money):
    # The model's Decimal is a string.
    return float((money or {}).get("amount") or 0.0)


def parse_amazon_datetime(value):
    """An Amazon ISO 8601 date-time as a naive UTC datetime (whole seconds,
    as Odoo stores them), or None."""
    if not value:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)
