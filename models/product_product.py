"""A variant's sales price marks its live listings, on every channel; a change
of the variant checks again its listings refused by Odoo's check."""

from odoo import models


class ProductProduct(models.Model):
    _inherit = "product.product"

    def write(self, vals):
        result = super().write(vals)
        if "lst_price" in vals or "list_price" in vals:
            self.env["marketplace.listing.mixin"]._mark_live_listings(
                [("product_id", "in", self.ids)]
            )
        self.env["marketplace.listing.mixin"]._recheck_errors_of(self)
        return result
