"""Products know their eBay listings, and can be listed in bulk."""

from odoo import fields, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    ebay_listing_ids = fields.One2many(
        "ebay.listing", "product_id", string="eBay listings"
    )
    ebay_listing_count = fields.Integer(compute="_compute_ebay_listing_count")

    def _compute_ebay_listing_count(self):
        for product in self:
            product.ebay_listing_count = len(product.ebay_listing_ids)

    def _ebay_listings_for(self, account, marketplace_id=None):
        """The listing of each product on ``account``'s ``marketplace_id``
        (its home marketplace when not given), created when missing: one
        offer per marketplace."""
        Listing = self.env["ebay.listing"]
        marketplace_id = marketplace_id or account.ebay_marketplace_id
        existing = Listing.search(
            [
                ("account_id", "=", account.id),
                ("product_id", "in", self.ids),
                ("marketplace_id", "=", marketplace_id),
            ]
        )
        missing = self - existing.product_id
        # The condition chosen on the product; its category and item
        # specifics are read from the product while the listing has none.
        created = Listing.create(
            [
                {
                    "account_id": account.id,
                    "product_id": p.id,
                    "marketplace_id": marketplace_id,
                    "condition": p.product_tmpl_id.ebay_condition or "NEW",
                }
                for p in missing
            ]
        )
        return existing | created

    def _ebay_offers_for(self, account):
        """The products' listings on every marketplace ``account`` sells on
        (one offer per marketplace, the inventory item shared), created
        when missing."""
        listings = self.env["ebay.listing"]
        for marketplace_id in account._ebay_marketplaces():
            listings |= self._ebay_listings_for(account, marketplace_id)
        return listings

    def action_open_ebay_listings(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("eBay listings"),
            "res_model": "ebay.listing",
            "view_mode": "list,form",
            "domain": [("product_id", "in", self.ids)],
        }
