"""What an Amazon listing shows a seller: its product page on Amazon, its
images, a warning for an empty description; and a refusal of Odoo's own
check that clears once fixed.  Nothing here calls Amazon."""

from odoo import api, fields, models


class AmazonListing(models.Model):
    _inherit = "amazon.listing"

    description_missing = fields.Boolean(compute="_compute_description_missing")
    product_image = fields.Image(
        related="product_id.image_1920", string="Product image"
    )

    def _marketplace_item_url(self):
        """The ASIN's product page on the marketplace's own domain; none
        outside production (sandbox and emulator ASINs have no page)."""
        domain = self.participation_id.domain_name
        if not self.asin or not domain or self.account_id.environment != "production":
            return False
        return f"https://{domain.removeprefix('https://')}/dp/{self.asin}"

    @api.depends(
        "product_id.description_sale", "product_id.product_tmpl_id.description_sale"
    )
    def _compute_description_missing(self):
        for listing in self:
            product = listing.product_id
            # What _amazon_values sends as the description.
            listing.description_missing = (
                bool(product)
                and not (
                    product.description_sale
                    or product.product_tmpl_id.description_sale
                    or ""
                ).strip()
            )

    def _marketplace_local_problems(self):
        if self.pending_operation or not self._amazon_checkable():
            return None  # Amazon's refusal, or a check that needs Amazon
        return [problem["message"] for problem in self._amazon_check()]
