"""eBay's orders: its Fulfillment API JSON read into the neutral OrderValues.

Whatever eBay says about an order (getOrders pages, getOrder after a
notification or a refresh) goes through :func:`ebay_order_values`, so the
neutral import never sees eBay's JSON.
"""

import json

from odoo import api, fields, models
from odoo.exceptions import UserError

from ... import const
from ...ebay import EbayError
from ...ebay.errors import actionable
from ...ebay.fulfillment import FulfillmentApi
from ..marketplace.order_values import (
    Address,
    Money,
    OrderLine,
    OrderValues,
    RefundValues,
)

REFUNDED = ("FULLY_REFUNDED", "PARTIALLY_REFUNDED")


class MarketplaceOrder(models.Model):
    _inherit = "marketplace.order"

    @api.model
    def _marketplace_order_values(self, account, data):
        if account.channel != "ebay":
            return super()._marketplace_order_values(account, data)
        return ebay_order_values(data)

    @api.model
    def _marketplace_sold_on(self, account, data):
        if account.channel != "ebay":
            return super()._marketplace_sold_on(account, data)
        # Where the buyer bought (an item may surface on several sites),
        # else where it was listed; an order is bought on one site.
        line = (data.get("lineItems") or [{}])[0]
        return (
            line.get("purchaseMarketplaceId")
            or line.get("listingMarketplaceId")
            or account.ebay_marketplace_id
        )

    def _marketplace_sold_on_name(self):
        if self.account_id.channel != "ebay":
            return super()._marketplace_sold_on_name()
        return dict(const.MARKETPLACES).get(self.sold_on, False)

    def _marketplace_fetch_order(self):
        if self.account_id.channel != "ebay":
            return super()._marketplace_fetch_order()
        api_ = FulfillmentApi(self.account_id._ebay_client())
        try:
            return api_.get_order(self.remote_order_id)
        except EbayError as err:
            raise UserError(actionable(err)) from err

    def _shipping_product(self):
        if self.account_id.channel != "ebay":
            return super()._shipping_product()
        return self.env.ref("marketplace_connector.product_ebay_shipping")


def ebay_order_values(data):
    """The OrderValues of one order as eBay's Fulfillment API gives it."""
    pricing = data.get("pricingSummary") or {}
    buyer = data.get("buyer") or {}
    registration = buyer.get("buyerRegistrationAddress") or {}
    ship_to = (
        (data.get("fulfillmentStartInstructions") or [{}])[0].get("shippingStep") or {}
    ).get("shipTo") or {}
    address = ship_to.get("contactAddress") or {}
    line_items = data.get("lineItems") or []
    payment_status = data.get("orderPaymentStatus")
    cancel_state = (data.get("cancelStatus") or {}).get("cancelState")
    return OrderValues(
        remote_order_id=data["orderId"],
        buyer_username=buyer.get("username"),
        lines=tuple(
            OrderLine(
                remote_line_id=line.get("lineItemId"),
                sku=line.get("sku"),
                title=line.get("title"),
                quantity=line.get("quantity") or 1,
                total=_money(line.get("lineItemCost")),
            )
            for line in line_items
        ),
        buyer=Address(
            name=registration.get("fullName"), email=registration.get("email")
        ),
        ship_to=Address(
            name=ship_to.get("fullName"),
            email=ship_to.get("email"),
            street=address.get("addressLine1"),
            street2=address.get("addressLine2"),
            city=address.get("city"),
            zip=address.get("postalCode"),
            country_code=address.get("countryCode"),
            state_code=address.get("stateOrProvince"),
            phone=(ship_to.get("primaryPhone") or {}).get("phoneNumber"),
        ),
        total=_money(pricing.get("total")),
        delivery_cost=_money(pricing.get("deliveryCost")),
        # Sales tax eBay collects and remits itself: not the seller's to
        # charge, so the sale order's lines carry no tax.
        collected_tax=sum(
            _money(tax.get("amount")).amount
            for line in line_items
            for tax in line.get("ebayCollectAndRemitTaxes") or []
        ),
        created_at=parse_ebay_datetime(data.get("creationDate")),
        modified_at=parse_ebay_datetime(data.get("lastModifiedDate")),
        payment_status=payment_status,
        fulfillment_status=data.get("orderFulfillmentStatus"),
        cancel_state=cancel_state,
        paid=payment_status == "PAID",
        cancelled=cancel_state == "CANCELED",
        refunded=payment_status in REFUNDED,
        refunds=ebay_refund_values(data),
        payload=json.dumps(data),
    )


def ebay_refund_values(data):
    """The refunds of an eBay order, each under an id that stays the same
    from one reading to the next.

    ``paymentSummary.refunds`` lists every refund: its whole amount, its
    status and date, its ``refundId`` when the seller issued it for the
    order, and eBay's ``refundReferenceId`` once issued.  A refund of line
    items gives each line its share (``lineItems[].refunds``), with the
    ``refundId`` when the seller issued it, else none: a line's share is
    matched to its refund by that id, else by date, else by amount.  A
    refund is known by its line shares' refundId, else its own refundId,
    else its reference id; one with none yet is read once eBay gives one."""
    groups = {}  # refundId, or ("date", refundDate): {"lines", "date"}
    for line in data.get("lineItems") or []:
        for part in line.get("refunds") or []:
            key = part.get("refundId") or ("date", part.get("refundDate"))
            group = groups.setdefault(
                key, {"lines": [], "date": part.get("refundDate")}
            )
            group["lines"].append(
                (line.get("lineItemId"), _money(part.get("amount")).amount)
            )
    unmatched = dict(groups)

    def take(entry):
        amount = _money(entry.get("amount")).amount
        for test in (
            lambda key, _g: key == entry.get("refundId"),
            lambda _k, group: group["date"] == entry.get("refundDate"),
            lambda _k, group: abs(sum(a for _l, a in group["lines"]) - amount) < 0.005,
        ):
            for key, group in unmatched.items():
                if test(key, group):
                    return key, unmatched.pop(key)
        return None, None

    refunds, seen = [], set()
    for entry in (data.get("paymentSummary") or {}).get("refunds") or []:
        key, group = take(entry)
        refund_id = (
            (key if isinstance(key, str) else None)
            or entry.get("refundId")
            or entry.get("refundReferenceId")
        )
        if not refund_id or refund_id in seen:
            continue
        seen.add(refund_id)
        status = entry.get("refundStatus")
        refunds.append(
            RefundValues(
                remote_refund_id=refund_id,
                amount=_money(entry.get("amount")),
                line_amounts=tuple(group["lines"]) if group else (),
                refunded_at=parse_ebay_datetime(entry.get("refundDate")),
                status=status,
                done=status == "REFUNDED",
                failed=status == "FAILED",
            )
        )
    currency = ((data.get("pricingSummary") or {}).get("total") or {}).get("currency")
    for key, group in unmatched.items():
        # Shares of a refund the order's summary does not list (yet): eBay
        # returns a line's share only once the buyer is due it.
        refund_id = key if isinstance(key, str) else f"line-refund {group['date']}"
        if refund_id in seen:
            continue
        seen.add(refund_id)
        refunds.append(
            RefundValues(
                remote_refund_id=refund_id,
                amount=Money(round(sum(a for _l, a in group["lines"]), 2), currency),
                line_amounts=tuple(group["lines"]),
                refunded_at=parse_ebay_datetime(group["date"]),
                status="REFUNDED",
                done=True,
            )
        )
    return tuple(refunds)


def _money(money):
    money = money or {}
    return Money(float(money.get("value") or 0.0), money.get("currency"))


def parse_ebay_datetime(value):
    """An eBay timestamp (ISO 8601, UTC) as a naive UTC datetime, or None."""
    if not value:
        return None
    return fields.Datetime.to_datetime(value.replace("T", " ").rstrip("Z")[:19])
