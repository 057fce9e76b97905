"""One product type Amazon found for a search (amazon.product.type.search.wizard)."""

from odoo import fields, models


class AmazonProductTypeSearchLine(models.TransientModel):
    _name = "amazon.product.type.search.line"
    _description = "Amazon product type found"

    wizard_id = fields.Many2one(
        "amazon.product.type.search.wizard", required=True, ondelete="cascade"
    )
    code = fields.Char(required=True, readonly=True)
    name = fields.Char(string="Display name", readonly=True)

    def action_choose(self):
        self.ensure_one()
        return self.wizard_id._choose(self)
