"""Sale orders know the eBay order they came from."""

from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    ebay_order_id = fields.Many2one(
        "ebay.order", string="eBay order", readonly=True, copy=False, index=True
    )
    ebay_state = fields.Selection(related="ebay_order_id.state", string="eBay status")

    def action_open_ebay_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "ebay.order",
            "res_id": self.ebay_order_id.id,
            "view_mode": "form",
        }


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    ebay_line_item_id = fields.Char(
        string="eBay line item", readonly=True, copy=False, index=True
    )


class ResPartner(models.Model):
    _inherit = "res.partner"

    ebay_buyer_username = fields.Char(string="eBay buyer", copy=False, index=True)
