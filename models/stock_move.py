"""Stock moves mark the live listings of their products, on every channel."""

from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _marketplace_mark(self):
        """Free quantities changed: the products' live listings may differ."""
        products = self.product_id
        if products:
            self.env["marketplace.listing.mixin"]._mark_live_listings(
                [("product_id", "in", products.ids)]
            )

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        moves._marketplace_mark()
        return moves

    def _action_assign(self, force_qty=False):
        result = super()._action_assign(force_qty=force_qty)
        self._marketplace_mark()
        return result

    def _do_unreserve(self):
        result = super()._do_unreserve()
        self._marketplace_mark()
        return result
