"""A pricelist rule that changes marks the live listings of the accounts
that price from its pricelist, on every channel."""

from odoo import api, models


class ProductPricelistItem(models.Model):
    _inherit = "product.pricelist.item"

    def _marketplace_mark(self):
        self._marketplace_mark_pricelists(self.pricelist_id)

    @api.model_create_multi
    def create(self, vals_list):
        items = super().create(vals_list)
        items._marketplace_mark()
        return items

    def write(self, vals):
        result = super().write(vals)
        self._marketplace_mark()
        return result

    def unlink(self):
        pricelists = self.pricelist_id
        result = super().unlink()
        self.browse()._marketplace_mark_pricelists(pricelists)
        return result

    def _marketplace_mark_pricelists(self, pricelists):
        accounts = (
            self.env["marketplace.account"]
            .sudo()
            .search([("pricelist_id", "in", pricelists.ids)])
        )
        if accounts:
            self.env["marketplace.listing.mixin"]._mark_live_listings(
                [("account_id", "in", accounts.ids)]
            )
