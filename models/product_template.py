"""A template's sales price marks its variants' live listings, on every channel."""

from odoo import models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def write(self, vals):
        result = super().write(vals)
        if "list_price" in vals:
            self.env["marketplace.listing.mixin"]._mark_live_listings(
                [("product_id", "in", self.product_variant_ids.ids)]
            )
        return result
