"""Sale orders know the eBay order they came from."""

from odoo import fields, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "marketplace.protected.fields.mixin"]

    # Which eBay order this sale came from: set by the import, never by hand
    # (tracking of its deliveries goes to that eBay order).
    ebay_order_id = fields.Many2one(
        "marketplace.order",
        string="eBay order",
        readonly=True,
        copy=False,
        index=True,
        check_company=True,
        system_field=True,
    )
    ebay_state = fields.Selection(related="ebay_order_id.state", string="eBay status")

    def action_open_marketplace_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "marketplace.order",
            "res_id": self.ebay_order_id.id,
            "view_mode": "form",
        }


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "marketplace.protected.fields.mixin"]

    ebay_line_item_id = fields.Char(
        string="eBay line item",
        readonly=True,
        copy=False,
        index=True,
        system_field=True,
    )


class ResPartner(models.Model):
    _inherit = "res.partner"

    ebay_buyer_username = fields.Char(string="eBay buyer", copy=False, index=True)
