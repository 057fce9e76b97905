"""eBay order polling per account: getOrders since a watermark, pages of 200.

Each order read goes to the neutral import (``marketplace.order``), which
reads eBay's JSON through eBay's order values (models/ebay/marketplace_order.py).
"""

from datetime import timedelta

from odoo import api, fields, models

from ...ebay.fulfillment import PAGE_LIMIT, FulfillmentApi
from ..marketplace.job_edge import marketplace_job

# Orders modified just before the watermark may reach eBay's index late:
# every poll looks back this far (re-seen orders change nothing).
OVERLAP = timedelta(minutes=10)
FIRST_POLL_LOOKBACK = timedelta(days=30)


class MarketplaceAccount(models.Model):
    """eBay's poll keeps the neutral watermark and poll status
    (models/marketplace/marketplace_account_orders.py)."""

    _inherit = "marketplace.account"

    @api.model
    def _cron_poll_orders(self):
        for account in self.search(
            [("channel", "=", "ebay"), ("state", "=", "connected")]
        ):
            account.with_delay(
                identity_key=f"ebay.orders.poll:{account.id}",
                description=f"eBay order poll {account.name}",
            )._job_poll_orders()

    @marketplace_job
    def _job_poll_orders(self):
        """Queue job: import every order modified since the watermark."""
        self.ensure_one()
        until = fields.Datetime.now()
        since = (self.order_watermark or until - FIRST_POLL_LOOKBACK) - OVERLAP
        Order = self.env["marketplace.order"]
        offset, imported = 0, 0
        # The watermark moves only after the last page: a poll that fails on
        # page 2 must not skip the orders of the pages it never read.  The
        # orders of the pages read stay imported (the import is idempotent).
        watermark = self.order_watermark
        with self._job_edge(record=self, operation="getOrders") as edge:
            api = FulfillmentApi(edge.client)
            while True:
                page = api.get_orders_page(since, offset=offset, limit=PAGE_LIMIT)
                orders = page.get("orders") or []
                # The page's orders imported together (each isolated: one
                # Odoo cannot import is flagged, the others go on).
                staged = Order._import_payloads(self, orders)
                imported += len(orders)
                # A row Odoo could not store the order's data in has no date.
                dates = [d for d in staged.mapped("remote_modified_at") if d]
                if dates:
                    newest = max(dates)
                    watermark = max(watermark or newest, newest)
                if not page.get("next") or not orders:
                    break
                offset += len(orders)
        if edge.failed:
            self.order_poll_error = edge.message
            return f"poll failed: {edge.message}"
        self.write(
            {
                "last_order_poll": until,
                "order_poll_error": False,
                "order_watermark": watermark,
            }
        )

        if not self.order_watermark or self.order_watermark < until - OVERLAP:
            # Quiet period: move on so the window does not keep growing.
            self.order_watermark = until - OVERLAP
        self._enqueue_waiting_notifications()
        return f"{imported} order(s) seen"
