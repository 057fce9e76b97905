"""Stored fields the dashboard groups by: throttled calls, import delays.

Kept apart from the models they extend so the dashboard stays one concern.
"""

from odoo import api, fields, models
from odoo.tools.sql import column_exists, create_column, table_exists


class MarketplaceCall(models.Model):
    _inherit = "marketplace.call"

    # Stored so graphs and pivots can group calls by it: a throttled call is
    # eBay asking us to slow down, not a failure of the data we sent.
    is_throttled = fields.Boolean(
        string="Throttled",
        compute="_compute_is_throttled",
        store=True,
        index=True,
        help="eBay answered 429 Too Many Requests.",
    )

    def _auto_init(self):
        # Filled in SQL on upgrade: the ORM would recompute the whole call
        # log in Python, row by row.
        cr = self.env.cr
        if table_exists(cr, "marketplace_call") and not column_exists(
            cr, "marketplace_call", "is_throttled"
        ):
            create_column(cr, "marketplace_call", "is_throttled", "boolean")
            cr.execute(
                "UPDATE marketplace_call"
                "   SET is_throttled = coalesce(http_status, 0) = 429"
            )
        return super()._auto_init()

    @api.depends("http_status")
    def _compute_is_throttled(self):
        for attempt in self:
            attempt.is_throttled = attempt.http_status == 429


class MarketplaceOrder(models.Model):
    _inherit = "marketplace.order"

    # Set by the ORM write that links the sale order (``_create_sale_order``),
    # also for rows first claimed by the raw INSERT of ``_claim``: that INSERT
    # never links a sale order, so nothing is missed by skipping computes there.
    imported_at = fields.Datetime(
        string="Imported",
        compute="_compute_imported_at",
        store=True,
        index=True,
        copy=False,
        help="When Odoo made the sale order of this eBay order.",
    )
    import_delay_minutes = fields.Float(
        string="Delay from sale (min)",
        compute="_compute_import_delay_minutes",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="Minutes from the sale on eBay to the sale order in Odoo.",
    )

    def _auto_init(self):
        # Orders imported before these fields existed: their sale order was
        # made in the transaction that imported them, so its creation time is
        # the import time (the ORM would say "now" for all of them).
        cr = self.env.cr
        if table_exists(cr, "marketplace_order") and not column_exists(
            cr, "marketplace_order", "imported_at"
        ):
            create_column(cr, "marketplace_order", "imported_at", "timestamp")
            create_column(cr, "marketplace_order", "import_delay_minutes", "numeric")
            cr.execute(
                """
                UPDATE marketplace_order o
                   SET imported_at = so.create_date
                  FROM sale_order so
                 WHERE so.id = o.sale_order_id
                """
            )
            cr.execute(
                """
                UPDATE marketplace_order
                   SET import_delay_minutes = CASE
                       WHEN imported_at IS NULL OR remote_created_at IS NULL THEN 0
                       ELSE greatest(
                           0, extract(epoch FROM imported_at - remote_created_at) / 60
                       )
                   END
                """
            )
        return super()._auto_init()

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
                # eBay's clock may run a little ahead of ours: never negative.
                order.import_delay_minutes = max(0.0, delta.total_seconds() / 60.0)
            else:
                order.import_delay_minutes = 0.0
