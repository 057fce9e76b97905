"""A template's sales price marks its variants' live listings, on every channel;
a change of the template checks again its listings refused by Odoo's check."""

from odoo import models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def write(self, vals):
        result = super().write(vals)
        if "list_price" in vals:
            self.env["marketplace.listing.mixin"]._mark_live_listings(
                [("product_id", "in", self.product_variant_ids.ids)]
            )
        self.env["marketplace.listing.mixin"]._recheck_errors_of(
            self.product_variant_ids
        )
        return result
