"""eBay orders staged in Odoo: each becomes one sale order, exactly once.

The row (account, eBay order id) is claimed with INSERT ... ON CONFLICT DO
NOTHING in the transaction that creates the sale order, so whatever mix of
polls, notifications and replays delivers an order, one transaction wins and
the others see the row and only apply changes.  An order Odoo cannot import
(unknown SKU...) is kept, flagged with the reason, and can be retried.
"""

import json
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError

from ...ebay import EbayError
from ...ebay.errors import actionable
from ...ebay.fulfillment import FulfillmentApi

_logger = logging.getLogger(__name__)

ORDER_STATES = [
    ("new", "New"),
    ("imported", "Imported"),
    ("flagged", "Needs attention"),
    ("cancelled", "Cancelled"),
]


def _amount(money):
    return float((money or {}).get("value") or 0.0)


class MarketplaceOrder(models.Model):
    _name = "marketplace.order"
    _description = "eBay Order"
    _inherit = ["mail.thread", "marketplace.protected.fields.mixin"]
    _order = "ebay_modified_at desc, id desc"
    _rec_name = "ebay_order_id"
    _check_company_auto = True

    # eBay's order and the buyer's data as eBay sent them: the connector's.
    account_id = fields.Many2one(
        "marketplace.account",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
        system_field=True,
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, system_field=True
    )
    ebay_order_id = fields.Char(
        string="eBay order", required=True, readonly=True, system_field=True
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        readonly=True,
        copy=False,
        index=True,
        check_company=True,
        system_field=True,
    )
    state = fields.Selection(
        ORDER_STATES,
        required=True,
        default="new",
        tracking=True,
        readonly=True,
        system_field=True,
    )
    flag_reason = fields.Text(readonly=True, system_field=True)
    payment_status = fields.Char(readonly=True, system_field=True)
    fulfillment_status = fields.Char(readonly=True, system_field=True)
    cancel_state = fields.Char(readonly=True, system_field=True)
    buyer_username = fields.Char(readonly=True, system_field=True)
    ebay_created_at = fields.Datetime(readonly=True, system_field=True)
    ebay_modified_at = fields.Datetime(readonly=True, index=True, system_field=True)
    currency_code = fields.Char(readonly=True, system_field=True)
    total = fields.Float(readonly=True, system_field=True)
    ebay_collected_tax = fields.Float(
        readonly=True,
        system_field=True,
        help="Sales tax eBay collected and remits itself.",
    )
    payload = fields.Text(
        readonly=True,
        groups="marketplace_connector.group_marketplace_manager",
        system_field=True,
    )

    _sql_constraints = [
        (
            "account_order_uniq",
            "unique(account_id, ebay_order_id)",
            "This eBay order is already imported for this account.",
        )
    ]

    # -- claiming ------------------------------------------------------------------
    @api.model
    def _claim(self, account, ebay_order_id):
        """Return (staging row, created?), creating it at most once."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            INSERT INTO marketplace_order (account_id, company_id, ebay_order_id, state,
                                    create_uid, write_uid, create_date, write_date)
            VALUES (%s, %s, %s, 'new', %s, %s, now() at time zone 'UTC',
                    now() at time zone 'UTC')
            ON CONFLICT (account_id, ebay_order_id) DO NOTHING
            RETURNING id
            """,
            (
                account.id,
                account.company_id.id,
                ebay_order_id,
                self.env.uid,
                self.env.uid,
            ),
        )
        row = self.env.cr.fetchone()
        if row:
            return self.browse(row[0]), True
        existing = self.search(
            [("account_id", "=", account.id), ("ebay_order_id", "=", ebay_order_id)],
            limit=1,
        )
        if existing:
            return existing, False
        # Claimed by a transaction committed after ours began: look again in
        # a new one.  Not an eBay outcome, so queue_job's own retry (it rolls
        # this transaction back, which sees nothing new anyway), and counted:
        # a claim that never becomes visible ends as a failed job, not a loop.
        raise RetryableJobError(
            f"eBay order {ebay_order_id} is being imported by another worker",
            seconds=5,
        )

    @api.model
    def _import_payload(self, account, data):
        """Create or update Odoo's copy of one eBay order; return the row."""
        order, _created = self._claim(account, data["orderId"])
        order = order.with_company(account.company_id)
        with self.env.cr.savepoint():
            order._apply(data)
        return order

    # -- applying eBay's state --------------------------------------------------------
    def _apply(self, data):
        self.ensure_one()
        pricing = data.get("pricingSummary") or {}
        tax = sum(
            _amount(t.get("amount"))
            for line in data.get("lineItems") or []
            for t in line.get("ebayCollectAndRemitTaxes") or []
        )
        self.write(
            {
                "payload": json.dumps(data),
                "payment_status": data.get("orderPaymentStatus"),
                "fulfillment_status": data.get("orderFulfillmentStatus"),
                "cancel_state": (data.get("cancelStatus") or {}).get("cancelState"),
                "buyer_username": (data.get("buyer") or {}).get("username"),
                "ebay_created_at": _parse(data.get("creationDate")),
                "ebay_modified_at": _parse(data.get("lastModifiedDate")),
                "currency_code": (pricing.get("total") or {}).get("currency"),
                "total": _amount(pricing.get("total")),
                "ebay_collected_tax": tax,
            }
        )
        cancelled = self.cancel_state == "CANCELED"
        if not self.sale_order_id:
            if cancelled:
                self.write({"state": "cancelled", "flag_reason": False})
                return
            self._create_sale_order(data)
            if not self.sale_order_id:
                return
        sale = self.sale_order_id
        if cancelled:
            self._cancel_sale_order()
        elif self.payment_status == "PAID" and sale.state in ("draft", "sent"):
            sale.action_confirm()
        if self.payment_status in ("FULLY_REFUNDED", "PARTIALLY_REFUNDED"):
            sale.message_post(
                body=self.env._(
                    "eBay reports the order %(status)s.", status=self.payment_status
                )
            )

    def _cancel_sale_order(self):
        sale = self.sale_order_id
        if sale.state == "cancel":
            self.state = "cancelled"
            return
        shipped = sale.picking_ids.filtered(lambda p: p.state == "done")
        if shipped:
            self.write(
                {
                    "state": "flagged",
                    "flag_reason": self.env._(
                        "The buyer's order was cancelled on eBay but %(pickings)s "
                        "already shipped: handle the return by hand.",
                        pickings=", ".join(shipped.mapped("name")),
                    ),
                }
            )
            return
        sale.with_context(disable_cancel_warning=True)._action_cancel()
        sale.message_post(body=self.env._("Cancelled on eBay: stock released."))
        self.write({"state": "cancelled", "flag_reason": False})

    def _create_sale_order(self, data):
        lines = data.get("lineItems") or []
        Product = self.env["product.product"]
        products, unknown = {}, []
        for line in lines:
            product = Product.search(
                [
                    ("default_code", "=", line.get("sku")),
                    ("company_id", "in", [False, self.company_id.id]),
                ],
                limit=1,
            )
            if product:
                products[line["lineItemId"]] = product
            else:
                unknown.append(line.get("sku") or line.get("title") or "?")
        if unknown:
            self.write(
                {
                    "state": "flagged",
                    "flag_reason": self.env._(
                        "Unknown SKU(s) %(skus)s: no product has this internal "
                        "reference. Fix the product, then click Retry.",
                        skus=", ".join(unknown),
                    ),
                }
            )
            return
        partner, shipping = self._partners(data)
        currency = (data.get("pricingSummary") or {}).get("total", {}).get("currency")
        sale_lines = []
        for line in lines:
            quantity = line.get("quantity") or 1
            sale_lines.append(
                fields.Command.create(
                    {
                        "product_id": products[line["lineItemId"]].id,
                        "product_uom_qty": quantity,
                        "price_unit": _amount(line.get("lineItemCost")) / quantity,
                        "tax_id": [fields.Command.clear()],
                        "ebay_line_item_id": line["lineItemId"],
                    }
                )
            )
        delivery_cost = _amount((data.get("pricingSummary") or {}).get("deliveryCost"))
        if delivery_cost:
            sale_lines.append(
                fields.Command.create(
                    {
                        "product_id": self.env.ref(
                            "marketplace_connector.product_ebay_shipping"
                        ).id,
                        "product_uom_qty": 1,
                        "price_unit": delivery_cost,
                        "tax_id": [fields.Command.clear()],
                    }
                )
            )
        sale = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "partner_shipping_id": shipping.id,
                "company_id": self.company_id.id,
                "warehouse_id": self.account_id.warehouse_id.id or False,
                "pricelist_id": self._pricelist(currency).id,
                "client_order_ref": self.ebay_order_id,
                "origin": f"eBay {self.ebay_order_id}",
                "ebay_order_id": self.id,
                "order_line": sale_lines,
            }
        )
        self.write(
            {"sale_order_id": sale.id, "state": "imported", "flag_reason": False}
        )
        if self.payment_status == "PAID":
            sale.action_confirm()
        self.message_post(body=self.env._("Imported as %(sale)s.", sale=sale.name))

    def _pricelist(self, currency_code):
        Currency = self.env["res.currency"].with_context(active_test=False)
        currency = Currency.search([("name", "=", currency_code or "USD")], limit=1)
        if not currency:
            raise UserError(self.env._("Unknown currency %(c)s.", c=currency_code))
        if not currency.active:  # write only when needed: a shared, hot row
            currency.active = True

        Pricelist = self.env["product.pricelist"]
        return Pricelist.search(
            [
                ("currency_id", "=", currency.id),
                ("company_id", "in", [False, self.company_id.id]),
            ],
            limit=1,
        ) or Pricelist.create(
            {"name": f"eBay {currency.name}", "currency_id": currency.id}
        )

    def _partners(self, data):
        """The buyer (matched by eBay username) and a delivery address under it."""
        Partner = self.env["res.partner"]
        buyer = data.get("buyer") or {}
        username = buyer.get("username") or "ebay-buyer"
        registration = buyer.get("buyerRegistrationAddress") or {}
        ship_to = (
            (data.get("fulfillmentStartInstructions") or [{}])[0].get("shippingStep")
            or {}
        ).get("shipTo") or {}
        partner = Partner.search([("ebay_buyer_username", "=", username)], limit=1)
        if not partner:
            partner = Partner.create(
                {
                    "name": registration.get("fullName")
                    or ship_to.get("fullName")
                    or username,
                    "email": registration.get("email") or ship_to.get("email"),
                    "ebay_buyer_username": username,
                }
            )
        address = ship_to.get("contactAddress") or {}
        country = self.env["res.country"].search(
            [("code", "=", address.get("countryCode"))], limit=1
        )
        state = self.env["res.country.state"].search(
            [
                ("country_id", "=", country.id),
                ("code", "=", address.get("stateOrProvince")),
            ],
            limit=1,
        )
        values = {
            "type": "delivery",
            "parent_id": partner.id,
            "name": ship_to.get("fullName") or partner.name,
            "street": address.get("addressLine1"),
            "street2": address.get("addressLine2"),
            "city": address.get("city"),
            "zip": address.get("postalCode"),
            "country_id": country.id or False,
            "state_id": state.id or False,
            "phone": (ship_to.get("primaryPhone") or {}).get("phoneNumber"),
        }
        shipping = partner.child_ids.filtered(
            lambda c: (
                c.type == "delivery"
                and (c.street, c.zip, c.city, c.country_id.id)
                == (
                    values["street"],
                    values["zip"],
                    values["city"],
                    values["country_id"],
                )
            )
        )[:1] or Partner.create(values)
        return partner, shipping

    # -- actions --------------------------------------------------------------------
    # The caller's rights on the orders first; the import itself is the
    # connector's work and runs as the system (it writes eBay's data).
    def action_retry(self):
        """Import a flagged order again (after its products were fixed)."""
        self.check_access("write")
        for order in self.filtered(lambda o: o.state in ("flagged", "new")).sudo():
            with self.env.cr.savepoint():
                order.with_company(order.company_id)._apply(json.loads(order.payload))
        return True

    def action_refresh_from_ebay(self):
        self.check_access("write")  # before eBay is asked
        for order in self.sudo():
            api = FulfillmentApi(order.account_id._ebay_client())
            try:
                data = api.get_order(order.ebay_order_id)
            except EbayError as err:
                raise UserError(actionable(err)) from err
            order.with_company(order.company_id)._apply(data)
        return True


def _parse(value):
    if not value:
        return False
    return fields.Datetime.to_datetime(value.replace("T", " ").rstrip("Z")[:19])
