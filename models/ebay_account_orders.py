"""Order polling per account: getOrders since a watermark, pages of 200."""

import random
from datetime import timedelta

from odoo import api, fields, models

from ..ebay import EbayError, EbayTransientError
from ..ebay.fulfillment import PAGE_LIMIT, FulfillmentApi
from .ebay_order import _parse

# Orders modified just before the watermark may reach eBay's index late:
# every poll looks back this far (re-seen orders change nothing).
OVERLAP = timedelta(minutes=10)
FIRST_POLL_LOOKBACK = timedelta(days=30)
ORDER_CHANNEL = "root.ebay.order"


class EbayAccount(models.Model):
    _inherit = "ebay.account"

    order_watermark = fields.Datetime(
        readonly=True,
        copy=False,
        system_field=True,
        help="Orders modified up to here are imported.",
    )
    order_ids = fields.One2many("ebay.order", "account_id", string="eBay orders")
    # When the last *successful* poll started (a failed poll leaves it as it
    # was): the health report measures lateness from it.
    last_order_poll = fields.Datetime(
        string="Last successful order poll",
        readonly=True,
        copy=False,
        system_field=True,
        help="When the last poll that completed without error started.",
    )
    # Why the last poll failed; cleared by the next successful poll.
    order_poll_error = fields.Text(readonly=True, copy=False, system_field=True)

    @api.model
    def _cron_poll_orders(self):
        for account in self.search([("state", "=", "connected")]):
            account.with_delay(
                channel=ORDER_CHANNEL,
                identity_key=f"ebay.orders.poll:{account.id}",
                description=f"eBay order poll {account.name}",
            )._job_poll_orders()

    def _job_poll_orders(self):
        """Queue job: import every order modified since the watermark."""
        self.ensure_one()
        until = fields.Datetime.now()
        since = (self.order_watermark or until - FIRST_POLL_LOOKBACK) - OVERLAP
        api = FulfillmentApi(self._ebay_client())
        Order = self.env["ebay.order"]
        offset, imported = 0, 0
        # The watermark moves only after the last page: a poll that fails on
        # page 2 must not skip the orders of the pages it never read.
        watermark = self.order_watermark
        while True:
            try:
                page = api.get_orders_page(since, offset=offset, limit=PAGE_LIMIT)

            except EbayTransientError as err:
                # Not raised as RetryableJobError: its rollback would lose the
                # error shown on the account and the calls' attempt rows.
                # Pages already stored stay (the import is idempotent).
                self.order_poll_error = err.user_message
                self.with_delay(
                    channel=ORDER_CHANNEL,
                    eta=int(err.retry_after or 60) + random.randint(0, 10),
                    identity_key=f"ebay.orders.poll.retry:{self.id}",
                    description=f"eBay order poll {self.name} (retry)",
                )._job_poll_orders()
                return f"poll failed, retried later: {err.user_message}"
            except EbayError as err:
                self.order_poll_error = err.user_message
                return f"poll failed: {err.user_message}"
            orders = page.get("orders") or []
            for data in orders:
                Order._import_payload(self, data)
                imported += 1
            if orders:
                newest = max(_parse(o.get("lastModifiedDate")) for o in orders)
                watermark = max(watermark or newest, newest)
            if not page.get("next") or not orders:
                break
            offset += len(orders)
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
        return f"{imported} order(s) seen"
