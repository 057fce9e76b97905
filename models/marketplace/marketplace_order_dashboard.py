"""Stored fields the dashboard groups orders by: import time and delay.

Kept apart from the order model so the dashboard stays one concern.
"""

from odoo import api, fields, models


class MarketplaceOrder(models.Model):
    _inherit = "marketplace.order"

    # Set by the ORM write that links the sale order (``_create_sale_orders``),
    # also for rows first claimed by the raw INSERT of ``_claim``: that INSERT
    # never links a sale order, so nothing is missed by skipping computes there.
    imported_at = fields.Datetime(
        string="Imported",
        compute="_compute_imported_at",
        store=True,
        index=True,
        copy=False,
        help="When Odoo made the sale order of this marketplace order.",
    )
    import_delay_minutes = fields.Float(
        string="Delay from sale (min)",
        compute="_compute_import_delay_minutes",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="Minutes from the sale on the marketplace to the sale order in Odoo.",
    )

    @api.depends("sale_order_id")
    def _compute_imported_at(self):
        now = fields.Datetime.now()
        for order in self:
            # The first import counts; a later relink keeps the first time.
            order.imported_at = order.imported_at or (
                now if order.sale_order_id else False
            )

    @api.depends("remote_created_at", "imported_at")
    def _compute_import_delay_minutes(self):
        for order in self:
            if order.remote_created_at and order.imported_at:
                delta = order.imported_at - order.remote_created_at
                # The marketplace's clock may run ahead of ours: never negative.
                order.import_delay_minutes = max(0.0, delta.total_seconds() / 60.0)
            else:
                order.import_delay_minutes = 0.0
