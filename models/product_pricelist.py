"""The pricelists the connector depends on stay active.

Odoo archives every active pricelist when Settings are saved with the
pricelist feature off (product's ``res.config.settings.set_values``).  The
pricelist an account prices its listings from, and one the order import made
for a currency, are kept: archived, the next order in that currency would
find none and the prices on the marketplace would lose their rules.
"""

from odoo import fields, models

# Set by res.config.settings.set_values around Odoo's archiving.
KEEP_CONNECTOR_PRICELISTS = "marketplace_keep_pricelists"


class ProductPricelist(models.Model):
    _name = "product.pricelist"
    _inherit = ["product.pricelist", "marketplace.protected.fields.mixin"]

    marketplace_order_pricelist = fields.Boolean(
        string="Made for marketplace orders",
        readonly=True,
        copy=False,
        system_field=True,
        help="The order import made this pricelist for sales in its currency.",
    )

    def _marketplace_pricelists(self):
        """Those of these pricelists the connector uses (as the system: the
        person saving Settings may not read marketplace accounts)."""
        accounts = (
            self.env["marketplace.account"].sudo().with_context(active_test=False)
        )
        used = accounts.search([("pricelist_id", "in", self.ids)]).pricelist_id
        return self.filtered("marketplace_order_pricelist") | used

    def action_archive(self):
        archived = self
        if self.env.context.get(KEEP_CONNECTOR_PRICELISTS):
            archived -= self._marketplace_pricelists()
        return super(ProductPricelist, archived).action_archive()
