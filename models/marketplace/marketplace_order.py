"""Marketplace orders staged in Odoo: each becomes one sale order, exactly once.

The row (account, remote order id) is claimed with INSERT ... ON CONFLICT DO
NOTHING in the transaction that creates the sale order, so whatever mix of
polls, notifications and replays delivers an order, one transaction wins and
the others see the row and only apply changes.  An order Odoo cannot import
(unknown SKU...) is kept, flagged with the reason, and can be retried.

The import works from an :class:`~.order_values.OrderValues` only; the
channel reads its marketplace's order into one (``_marketplace_order_values``)
and fetches an order again on request (``_marketplace_fetch_order``).
"""

import json
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError

_logger = logging.getLogger(__name__)

ORDER_STATES = [
    ("new", "New"),
    ("waiting", "Waiting for the marketplace"),
    ("imported", "Imported"),
    ("flagged", "Needs attention"),
    ("cancelled", "Cancelled"),
]


class MarketplaceOrder(models.Model):
    _name = "marketplace.order"
    _description = "Marketplace Order"
    _inherit = ["mail.thread", "marketplace.protected.fields.mixin"]
    _order = "remote_modified_at desc, id desc"
    _rec_name = "remote_order_id"
    _check_company_auto = True

    # The marketplace's order and the buyer's data as it sent them: the
    # connector's.
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
    remote_order_id = fields.Char(
        string="Marketplace order", required=True, readonly=True, system_field=True
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
    remote_created_at = fields.Datetime(
        string="Created on the marketplace", readonly=True, system_field=True
    )
    remote_modified_at = fields.Datetime(
        string="Modified on the marketplace",
        readonly=True,
        index=True,
        system_field=True,
    )
    currency_code = fields.Char(readonly=True, system_field=True)
    fulfilled_by_marketplace = fields.Boolean(
        readonly=True,
        system_field=True,
        help="The marketplace ships this order from its own stock: its sale "
        "order makes no delivery from the seller's warehouse.",
    )
    total = fields.Float(readonly=True, system_field=True)
    marketplace_collected_tax = fields.Float(
        string="Tax collected by the marketplace",
        readonly=True,
        system_field=True,
        help="Sales tax the marketplace collected and remits itself.",
    )
    payload = fields.Text(
        readonly=True,
        groups="marketplace_connector.group_marketplace_manager",
        system_field=True,
    )

    _sql_constraints = [
        (
            "account_order_uniq",
            "unique(account_id, remote_order_id)",
            "This marketplace order is already imported for this account.",
        )
    ]

    # -- channel hooks -----------------------------------------------------------------
    @api.model
    def _marketplace_order_values(self, account, data):
        """Hook: ``account``'s channel reads its order ``data`` (the parsed
        payload) into an OrderValues.  Each channel overrides it."""
        raise NotImplementedError(
            f"channel {account.channel!r} does not read marketplace orders"
        )

    def _marketplace_fetch_order(self):
        """Hook: this order's data as its marketplace gives it now (what
        ``_marketplace_order_values`` reads); a UserError when it cannot."""
        raise NotImplementedError(
            f"channel {self.account_id.channel!r} does not fetch orders"
        )

    def _shipping_product(self):
        """Hook: the service product a sale order's delivery line uses."""
        return self.env.ref("marketplace_connector.product_marketplace_shipping")

    def _charge_product(self, kind):
        """The service product of a charge (``Charge.kind``) line."""
        if kind == "gift_wrap":
            return self.env.ref("marketplace_connector.product_marketplace_gift_wrap")
        return self.env.ref("marketplace_connector.product_marketplace_charge")

    # -- claiming ------------------------------------------------------------------
    @api.model
    def _claim(self, account, remote_order_id):
        """Return (staging row, created?), creating it at most once."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            INSERT INTO marketplace_order (
                account_id, company_id, remote_order_id, state,
                create_uid, write_uid, create_date, write_date)
            VALUES (%s, %s, %s, 'new', %s, %s, now() at time zone 'UTC',
                    now() at time zone 'UTC')
            ON CONFLICT (account_id, remote_order_id) DO NOTHING
            RETURNING id
            """,
            (
                account.id,
                account.company_id.id,
                remote_order_id,
                self.env.uid,
                self.env.uid,
            ),
        )
        row = self.env.cr.fetchone()
        if row:
            return self.browse(row[0]), True
        existing = self.search(
            [
                ("account_id", "=", account.id),
                ("remote_order_id", "=", remote_order_id),
            ],
            limit=1,
        )
        if existing:
            return existing, False
        # Claimed by a transaction committed after ours began: look again in
        # a new one.  Not a marketplace outcome, so queue_job's own retry (it
        # rolls this transaction back, which sees nothing new anyway), and
        # counted: a claim that never becomes visible ends as a failed job,
        # not a loop.
        raise RetryableJobError(
            f"Marketplace order {remote_order_id} is being imported by another worker",
            seconds=5,
        )

    @api.model
    def _import_payload(self, account, data):
        """Create or update Odoo's copy of the order ``data`` of ``account``'s
        channel; return the row."""
        return self._import_values(
            account, self._marketplace_order_values(account, data)
        )

    @api.model
    def _import_values(self, account, values):
        """Create or update Odoo's copy of one order (an OrderValues)."""
        order, _created = self._claim(account, values.remote_order_id)
        order = order.with_company(account.company_id)
        with self.env.cr.savepoint():
            order._apply(values)
        return order

    # -- applying the marketplace's state ---------------------------------------------
    def _apply(self, values):
        self.ensure_one()
        self.write(
            {
                "payload": values.payload,
                "payment_status": values.payment_status,
                "fulfillment_status": values.fulfillment_status,
                "cancel_state": values.cancel_state,
                # A read without the buyer's data (some channels give it
                # only on request) keeps the buyer known so far.
                "buyer_username": values.buyer_username or self.buyer_username,
                "remote_created_at": values.created_at or False,
                "remote_modified_at": values.modified_at or False,
                "currency_code": values.total.currency,
                "total": values.total.amount,
                "marketplace_collected_tax": values.collected_tax,
                "fulfilled_by_marketplace": values.fulfilled_by_marketplace,
            }
        )
        if not self.sale_order_id:
            if values.cancelled:
                self.write({"state": "cancelled", "flag_reason": False})
                return
            if values.waiting:
                self._wait(values)
                return
            self._create_sale_order(values)
            if not self.sale_order_id:
                return
        sale = self.sale_order_id
        if values.cancelled:
            self._cancel_sale_order()
        elif values.paid and sale.state in ("draft", "sent"):
            sale.action_confirm()
        if values.refunded:
            sale.message_post(
                body=self.env._(
                    "%(channel)s reports the order %(status)s.",
                    channel=self.account_id._channel_label(),
                    status=self.payment_status,
                )
            )

    def _wait(self, values):
        """Staged, no sale order yet: the marketplace has not released the
        order for fulfilment (its next change imports it)."""
        self.write(
            {
                "state": "waiting",
                "flag_reason": self.env._(
                    "%(channel)s has not released this order for shipping yet "
                    "(status %(status)s): it becomes a sale order as soon as "
                    "%(channel)s does. Nothing to do for now.",
                    channel=self.account_id._channel_label(),
                    status=values.fulfillment_status or values.payment_status or "?",
                ),
            }
        )

    def _cancel_sale_order(self):
        sale = self.sale_order_id
        if sale.state == "cancel":
            self.state = "cancelled"
            return
        channel = self.account_id._channel_label()
        shipped = sale.picking_ids.filtered(lambda p: p.state == "done")
        if shipped:
            self.write(
                {
                    "state": "flagged",
                    "flag_reason": self.env._(
                        "The buyer's order was cancelled on %(channel)s but "
                        "%(pickings)s already shipped: handle the return by hand.",
                        channel=channel,
                        pickings=", ".join(shipped.mapped("name")),
                    ),
                }
            )
            return
        sale.with_context(disable_cancel_warning=True)._action_cancel()
        sale.message_post(
            body=self.env._(
                "Cancelled on %(channel)s: stock released.", channel=channel
            )
        )
        self.write({"state": "cancelled", "flag_reason": False})

    def _create_sale_order(self, values):
        Product = self.env["product.product"]
        products, unknown = {}, []
        for line in values.lines:
            product = Product.search(
                [
                    ("default_code", "=", line.sku),
                    ("company_id", "in", [False, self.company_id.id]),
                ],
                limit=1,
            )
            if product:
                products[line.remote_line_id] = product
            else:
                unknown.append(line.sku or line.title or "?")
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
        pricelist, problem = self._pricelist(values.total.currency)
        if problem:
            self.write({"state": "flagged", "flag_reason": problem})
            return
        partner, shipping = self._partners(values)
        sale_lines = []
        for line in values.lines:
            quantity = line.quantity or 1
            sale_lines.append(
                fields.Command.create(
                    {
                        "product_id": products[line.remote_line_id].id,
                        "product_uom_qty": quantity,
                        "price_unit": line.total.amount / quantity,
                        "tax_id": [fields.Command.clear()],
                        "marketplace_line_id": line.remote_line_id,
                    }
                )
            )
        if values.delivery_cost.amount:
            sale_lines.append(
                fields.Command.create(
                    {
                        "product_id": self._shipping_product().id,
                        "product_uom_qty": 1,
                        "price_unit": values.delivery_cost.amount,
                        "tax_id": [fields.Command.clear()],
                    }
                )
            )
        for charge in values.charges:
            if not charge.total.amount:
                continue
            sale_lines.append(
                fields.Command.create(
                    {
                        "product_id": self._charge_product(charge.kind).id,
                        "name": charge.label,
                        "product_uom_qty": 1,
                        "price_unit": charge.total.amount,
                        "tax_id": [fields.Command.clear()],
                    }
                )
            )
        channel = self.account_id._channel_label()
        sale = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "partner_shipping_id": shipping.id,
                "company_id": self.company_id.id,
                "warehouse_id": self._warehouse().id or False,
                "pricelist_id": pricelist.id,
                "client_order_ref": self.remote_order_id,
                "origin": f"{channel} {self.remote_order_id}",
                "marketplace_order_id": self.id,
                "order_line": sale_lines,
            }
        )
        self.write(
            {"sale_order_id": sale.id, "state": "imported", "flag_reason": False}
        )
        if values.paid:
            sale.action_confirm()
        self.message_post(body=self.env._("Imported as %(sale)s.", sale=sale.name))

    def _warehouse(self):
        """The account's warehouse, else the company's first: a confirmed
        sale of goods needs one (an account may leave it to the company)."""
        return self.account_id.warehouse_id or self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )

    def _pricelist(self, currency_code):
        """(the sale order's pricelist, why there can be none): an active
        pricelist in the order's currency.  The company's currency needs
        none; a new one is made only while Odoo's pricelist feature is on
        (with it off, Odoo archives every pricelist when Settings are saved,
        so one made then would be archived and made again), and so is the
        currency activated: Odoo would turn the feature on with it."""
        Currency = self.env["res.currency"].with_context(active_test=False)
        currency = Currency.search([("name", "=", currency_code or "USD")], limit=1)
        if not currency:
            raise UserError(self.env._("Unknown currency %(c)s.", c=currency_code))
        Pricelist = self.env["product.pricelist"]
        found = Pricelist.search(
            [
                ("currency_id", "=", currency.id),
                ("company_id", "in", [False, self.company_id.id]),
            ],
            limit=1,
        )
        if currency == self.company_id.currency_id:
            return found, None
        if not found and not self._pricelists_enabled():
            return Pricelist, self.env._(
                "This order is in %(currency)s, and Odoo records a sale in "
                "another currency than the company's through a pricelist, but "
                "pricelists are turned off. Turn on Pricelists in the Sales "
                "settings, then click Retry import.",
                currency=currency.name,
            )
        # Write only when needed: a shared, hot row.  (Odoo turns its
        # pricelists on with a second active currency: a sale in it needs one.)
        if not currency.active:
            currency.active = True
        return found or Pricelist.sudo().create(
            {
                "name": f"{self.account_id._channel_label()} {currency.name}",
                "currency_id": currency.id,
                "marketplace_order_pricelist": True,
            }
        ), None

    def _pricelists_enabled(self):
        """Is Odoo's pricelist feature on (Settings: employees get it)?"""
        feature = self.env.ref("product.group_product_pricelist")
        return feature in self.env.ref("base.group_user").sudo().implied_ids

    def _partners(self, values):
        """The buyer (matched by their username on the marketplace) and a
        delivery address under it."""
        Partner = self.env["res.partner"]
        # An order without a username still gets a buyer: one per channel.
        username = values.buyer_username or f"{self.account_id.channel}-buyer"
        buyer, ship_to = values.buyer, values.ship_to
        partner = Partner.search(
            [("marketplace_buyer_username", "=", username)], limit=1
        )
        if not partner:
            partner = Partner.create(
                {
                    "name": buyer.name or ship_to.name or username,
                    "email": buyer.email or ship_to.email,
                    "marketplace_buyer_username": username,
                }
            )
        country = self.env["res.country"].search(
            [("code", "=", ship_to.country_code)], limit=1
        )
        state = self.env["res.country.state"].search(
            [("country_id", "=", country.id), ("code", "=", ship_to.state_code)],
            limit=1,
        )
        address = {
            "type": "delivery",
            "parent_id": partner.id,
            "name": ship_to.name or partner.name,
            "street": ship_to.street,
            "street2": ship_to.street2,
            "city": ship_to.city,
            "zip": ship_to.zip,
            "country_id": country.id or False,
            "state_id": state.id or False,
            "phone": ship_to.phone,
        }
        shipping = partner.child_ids.filtered(
            lambda c: (
                c.type == "delivery"
                and (c.street, c.zip, c.city, c.country_id.id)
                == (
                    address["street"],
                    address["zip"],
                    address["city"],
                    address["country_id"],
                )
            )
        )[:1] or Partner.create(address)
        return partner, shipping

    # -- actions --------------------------------------------------------------------
    # The caller's rights on the orders first; the import itself is the
    # connector's work and runs as the system (it writes the marketplace's
    # data).
    def action_retry(self):
        """Import a flagged order again (after its products were fixed)."""
        self.check_access("write")
        for order in self.filtered(lambda o: o.state in ("flagged", "new")).sudo():
            values = order._marketplace_order_values(
                order.account_id, json.loads(order.payload)
            )
            with self.env.cr.savepoint():
                order.with_company(order.company_id)._apply(values)
        return True

    def action_refresh_from_marketplace(self):
        """Read the order from its marketplace again and apply what changed."""
        self.check_access("write")  # before the marketplace is asked
        for order in self.sudo():
            data = order._marketplace_fetch_order()
            values = order._marketplace_order_values(order.account_id, data)
            order.with_company(order.company_id)._apply(values)
        return True
