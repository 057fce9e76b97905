"""Variants know their Amazon listings and the issues of those listings, and
may override Amazon attributes for themselves."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ...amazon.attributes import InvalidProductValue, merge_overrides


class ProductProduct(models.Model):
    _inherit = "product.product"

    amazon_listing_ids = fields.One2many(
        "amazon.listing", "product_id", string="Amazon listings"
    )
    amazon_issue_ids = fields.One2many(
        "amazon.listing.issue", "product_id", string="Amazon issues"
    )
    amazon_attribute_overrides = fields.Text(
        string="Amazon attribute overrides (variant)",
        help="JSON object of Amazon attributes for this variant only; they "
        "replace the template's and the ones Odoo maps.",
    )

    @api.constrains("amazon_attribute_overrides")
    def _check_amazon_attribute_overrides(self):
        for product in self:
            try:
                merge_overrides({}, product.amazon_attribute_overrides or None)
            except InvalidProductValue as err:
                raise ValidationError(err.message) from None

    def _amazon_listings_for(self, account, participation):
        """The listing of each product in ``participation`` (one of the
        account's marketplaces), created when missing (single products; a
        template's variants: product.template)."""
        Listing = self.env["amazon.listing"]
        existing = Listing.search(
            [
                ("account_id", "=", account.id),
                ("participation_id", "=", participation.id),
                ("product_id", "in", self.ids),
                ("parentage", "!=", "parent"),
            ]
        )
        missing = self - existing.product_id
        created = Listing.create(
            [
                {
                    "account_id": account.id,
                    "participation_id": participation.id,
                    "product_id": p.id,
                }
                for p in missing
            ]
        )
        return existing | created

    # The variant's form shows the template's Amazon page: its buttons.
    def action_search_amazon_product_type(self):
        self.ensure_one()
        return self.product_tmpl_id.action_search_amazon_product_type()

    def action_open_amazon_listings(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Amazon listings"),
            "res_model": "amazon.listing",
            "view_mode": "list,form",
            "domain": [("product_id", "in", self.ids)],
        }
