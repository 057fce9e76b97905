"""A variation listing takes what its product says to eBay: made by hand,
it starts with the product's title and condition; it shows its category in
words (its own, else the product's) and the product's item specifics that
are sent with its own."""

from odoo import api, fields, models

from ...ebay import payloads


class EbayListingGroup(models.Model):
    _inherit = "ebay.listing.group"

    category_label = fields.Char(
        string="eBay category",
        compute="_compute_category_label",
        help="The variation listing's own category, else its product's.",
    )
    product_aspects_summary = fields.Char(
        string="From the product",
        compute="_compute_product_aspects_summary",
        help="The product's item specifics, sent unless the variation listing "
        "has one of the same name.",
    )

    @api.depends("category_id", "product_tmpl_id.ebay_category_id", "account_id")
    def _compute_category_label(self):
        Category = self.env["ebay.category"]
        for group in self:
            group.category_label = Category._listing_label(
                group.account_id.ebay_marketplace_id,
                group.category_id,
                group.product_tmpl_id,
            )

    @api.depends(
        "product_tmpl_id.ebay_aspect_ids.name",
        "product_tmpl_id.ebay_aspect_ids.value",
        "aspect_ids.name",
    )
    def _compute_product_aspects_summary(self):
        for group in self:
            own = {(line.name or "").casefold() for line in group.aspect_ids}
            group.product_aspects_summary = "; ".join(
                f"{name}: {', '.join(values)}"
                for name, values in group.product_tmpl_id._ebay_aspects().items()
                if name.casefold() not in own
            )

    @api.onchange("product_tmpl_id")
    def _onchange_product_tmpl_id_fill(self):
        """Made by hand: the product's title and eBay condition, as a
        variation listing made by the publish action gets them."""
        template = self.product_tmpl_id
        if template and self.state == "draft" and not self.ebay_listing_id:
            self.title = (template.name or "")[: payloads.TITLE_MAX]
            self.condition = template.ebay_condition or "NEW"
