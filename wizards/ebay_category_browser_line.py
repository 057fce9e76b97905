"""One category shown while browsing eBay's tree (ebay.category.browser)."""

from odoo import fields, models


class EbayCategoryBrowserLine(models.TransientModel):
    _name = "ebay.category.browser.line"
    _description = "eBay category shown while browsing"
    _order = "name, id"

    browser_id = fields.Many2one(
        "ebay.category.browser", required=True, ondelete="cascade"
    )
    category_id = fields.Many2one("ebay.category", required=True, ondelete="cascade")
    name = fields.Char(related="category_id.name", store=True, string="Category")
    leaf = fields.Boolean(related="category_id.leaf", string="Holds listings")

    def action_open(self):
        """Go down: what this category holds."""
        self.ensure_one()
        return self.browser_id._show(self.category_id)

    def action_choose(self):
        self.ensure_one()
        return self.browser_id._choose(self.category_id)
