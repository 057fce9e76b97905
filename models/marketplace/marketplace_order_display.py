"""What a marketplace order shows a seller: its lines, where it goes and its
statuses in words.

Display only, computed from what the import stored (the order as the
marketplace sent it, the sale order): nothing here writes.  The channel
gives the words of its own statuses (``_marketplace_status_words``).
"""

import json

from odoo import api, fields, models
from odoo.tools import format_amount


def humanize(code):
    """A status code a channel has no words for, readable: "NOT_STARTED" ->
    "Not started"."""
    return (code or "").replace("_", " ").strip().capitalize()


class MarketplaceOrder(models.Model):
    _inherit = "marketplace.order"

    payment_status_label = fields.Char(
        string="Payment", compute="_compute_status_labels"
    )
    fulfillment_status_label = fields.Char(
        string="Shipping", compute="_compute_status_labels"
    )
    cancel_status_label = fields.Char(
        string="Cancellation", compute="_compute_status_labels"
    )
    line_summary = fields.Html(string="Ordered", compute="_compute_line_summary")
    ship_to_address = fields.Text(string="Ship to", compute="_compute_ship_to")
    display_currency_id = fields.Many2one(
        "res.currency", string="Currency", compute="_compute_display_currency"
    )

    # -- channel hooks -----------------------------------------------------------------
    def _marketplace_status_words(self):
        """Hook: ``{"payment" | "fulfillment" | "cancel": {code: words}}``, the
        words of the channel's status codes (a code left out is shown as a
        humanized code)."""
        return {}

    def _marketplace_collected_tax_words(self):
        """Hook: the name the channel gives the tax it collects and remits
        itself, as a seller knows it."""
        return self.env._("tax collected by the marketplace")

    # -- computes ------------------------------------------------------------------
    @api.depends("payment_status", "fulfillment_status", "cancel_state")
    def _compute_status_labels(self):
        for order in self:
            words = order._marketplace_status_words()
            for kind, code, name in (
                ("payment", order.payment_status, "payment_status_label"),
                ("fulfillment", order.fulfillment_status, "fulfillment_status_label"),
                ("cancel", order.cancel_state, "cancel_status_label"),
            ):
                order[name] = (
                    (words.get(kind) or {}).get(code) or humanize(code)
                    if code
                    else False
                )

    def _display_values(self):
        """The order's OrderValues read from what the marketplace sent, or
        None (as the system: the stored order is the connector's)."""
        self.ensure_one()
        order = self.sudo()
        if not order.payload:
            return None
        return order._marketplace_order_values(
            order.account_id, json.loads(order.payload)
        )

    @api.depends("payload", "sale_order_id.order_line")
    def _compute_line_summary(self):
        Product = self.env["product.product"]
        for order in self:
            values = order._display_values()
            if not values:
                order.line_summary = False
                continue
            currency = order._display_currency()
            sale_lines = {
                line.marketplace_line_id: line
                for line in order.sudo().sale_order_id.order_line
                if line.marketplace_line_id
            }
            rows = []
            for line in values.lines:
                sale_line = sale_lines.get(line.remote_line_id)
                product = sale_line.product_id if sale_line else Product
                if not product and line.sku:
                    product = Product.search(
                        [
                            ("default_code", "=", line.sku),
                            ("company_id", "in", [False, order.company_id.id]),
                        ],
                        limit=1,
                    )
                rows.append(
                    {
                        "sku": line.sku or "",
                        "title": line.title or "",
                        "quantity": line.quantity,
                        "amount": order._display_amount(line.total.amount, currency),
                        "product": product.display_name if product else False,
                    }
                )
            order.line_summary = self.env["ir.qweb"]._render(
                "marketplace_connector.marketplace_order_lines",
                {
                    "rows": rows,
                    "delivery": order._display_amount(
                        values.delivery_cost.amount, currency
                    )
                    if values.delivery_cost.amount
                    else False,
                    "charges": [
                        (
                            charge.label,
                            order._display_amount(charge.total.amount, currency),
                        )
                        for charge in values.charges
                        if charge.total.amount
                    ],
                    "tax": order._display_amount(values.collected_tax, currency)
                    if values.collected_tax
                    else False,
                    "tax_words": order._marketplace_collected_tax_words(),
                    "total": order._display_amount(values.total.amount, currency),
                },
            )

    @api.depends("payload", "sale_order_id.partner_shipping_id")
    def _compute_ship_to(self):
        for order in self:
            shipping = order.sudo().sale_order_id.partner_shipping_id
            if shipping:
                order.ship_to_address = "\n".join(
                    part
                    for part in [shipping.name, shipping._display_address(True)]
                    if part
                )
                continue
            values = order._display_values()
            address = values.ship_to if values else None
            order.ship_to_address = (
                "\n".join(
                    part
                    for part in (
                        address.name,
                        address.street,
                        address.street2,
                        " ".join(p for p in (address.zip, address.city) if p),
                        " ".join(
                            p for p in (address.state_code, address.country_code) if p
                        ),
                    )
                    if part
                )
                if address
                else False
            ) or False

    # -- amounts ---------------------------------------------------------------------
    @api.depends("currency_code")
    def _compute_display_currency(self):
        for order in self:
            order.display_currency_id = order._display_currency()

    def _display_currency(self):
        return (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "=", self.currency_code or "")], limit=1)
            or self.company_id.currency_id
        )

    def _display_amount(self, amount, currency):
        return format_amount(self.env, amount, currency)
