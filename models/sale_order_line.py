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

    def _action_launch_stock_rule(self, previous_product_uom_qty=False):
        # The marketplace ships these orders from its own stock: no delivery
        # (nor purchase, nor manufacture) for them from the seller's side.
        own = self.filtered(
            lambda line: not line.order_id.marketplace_order_id.fulfilled_by_marketplace
        )
        return super(SaleOrderLine, own)._action_launch_stock_rule(
            previous_product_uom_qty=previous_product_uom_qty
        )
