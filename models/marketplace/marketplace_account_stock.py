"""The account's stock and price rules, and the door to its channel's push.

What Odoo wants a marketplace to show: the free quantity of the chosen
warehouses less a buffer, a share of it and a cap; the price from the
account's pricelist, rounded.  Changes mark the live listings of every
channel (``marketplace.listing.mixin``) and ask their accounts to push
(:meth:`_enqueue_stock_push`); how a push reaches the marketplace is the
channel's (:meth:`_marketplace_enqueue_stock_push`).
"""

import math

from odoo import api, fields, models


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    stock_warehouse_ids = fields.Many2many(
        "stock.warehouse",
        string="Stock from warehouses",
        check_company=True,
        help="Warehouses whose free quantity (on hand minus reserved) is offered; "
        "empty: the account's warehouse.",
    )
    stock_buffer = fields.Integer(help="Units held back from the marketplace.")
    stock_percent = fields.Float(default=100.0, help="Share of the stock offered (%).")
    stock_max = fields.Integer(help="Never show more than this (0: no maximum).")
    pricelist_id = fields.Many2one(
        "product.pricelist",
        check_company=True,
        help="Prices on the marketplace come from this pricelist (fees, margins).",
    )
    price_rounding = fields.Float(default=0.01)

    def _target_quantity(self, product):
        warehouses = self.stock_warehouse_ids or self.warehouse_id
        free = (
            sum(product.with_context(warehouse_id=w.id).free_qty for w in warehouses)
            if warehouses
            else product.free_qty
        )
        quantity = max(0, int(free) - self.stock_buffer)
        quantity = math.floor(quantity * (self.stock_percent or 0) / 100.0)
        if self.stock_max:
            quantity = min(quantity, self.stock_max)
        return max(0, quantity)

    def _target_price(self, product, fallback):
        price = fallback
        if self.pricelist_id and fallback == product.lst_price:
            price = self.pricelist_id._get_product_price(product, 1.0)
        step = self.price_rounding or 0.01
        return round(round(price / step) * step, 2)

    def _enqueue_stock_push(self, urgent=False):
        """Have each account push its marked listings (urgent: a drop to zero)."""
        for account in self:
            account._marketplace_enqueue_stock_push(urgent=urgent)

    def _marketplace_enqueue_stock_push(self, urgent=False):
        """Hook: enqueue the push of this account's marked listings.

        Each channel overrides it for its own accounts; the push sends every
        listing of the account that is marked, so the job may coalesce.
        """
        self.ensure_one()
        raise NotImplementedError(
            f"channel {self.channel!r} does not push stock and prices"
        )

    @api.model
    def _cron_push_stock_safety(self):
        """Safety net: mark any live listing whose values drifted from Odoo."""
        self.env["marketplace.listing.mixin"]._mark_live_listings(
            [("account_id.state", "=", "connected")]
        )
