"""Sale order lines know the marketplace order line they came from."""

from odoo import fields, models


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "marketplace.protected.fields.mixin"]

    # The marketplace's id of the line: the shipment's tracking names it.
    marketplace_line_id = fields.Char(
        string="Marketplace line",
        readonly=True,
        copy=False,
        index=True,
        system_field=True,
    )
