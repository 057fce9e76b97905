"""Sale orders know the marketplace order they came from."""

from odoo import fields, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "marketplace.protected.fields.mixin"]

    # Which marketplace order this sale came from: set by the import, never
    # by hand (tracking of its deliveries goes to that order's marketplace).
    marketplace_order_id = fields.Many2one(
        "marketplace.order",
        string="Marketplace order",
        readonly=True,
        copy=False,
        index=True,
        check_company=True,
        system_field=True,
    )
    marketplace_state = fields.Selection(
        related="marketplace_order_id.state", string="Marketplace status"
    )

    def action_open_marketplace_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "marketplace.order",
            "res_id": self.marketplace_order_id.id,
            "view_mode": "form",
        }
