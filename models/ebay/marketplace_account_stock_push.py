"""Stock and price out to eBay: pushed in bulk, within eBay's revision budget.

Changes (validated moves, reservations, price changes) mark the affected
live listings (marketplace_listing_mixin.py) and enqueue a push job per
account at once.  Coalescing comes from the identity key: while a push job
waits or runs, further changes only mark listings, and the next job sends
them all in bulkUpdatePriceQuantity calls of 25.  (No eta-based window:
queue_job's runner may pick an eta job up only at its next wake-up, up to a
minute late.)  Run the channel ``root.ebay.stock`` with capacity 1 so pushes
of an account never overlap.  A drop to zero is urgent and goes at once,
even when a listing's daily revision budget is nearly spent (a reserve is
kept for it); other updates wait for the next day when the budget runs low,
and say so.

Nothing is lost: a listing stays marked until eBay confirmed its values.
A push that got no answer (timeout, dropped connection) may still be applied
by eBay after a later push: the listing is marked unsettled until the stalled
request can no longer land (see job_edge.py), and its current values are
sent again then, even when a later push went through meanwhile.
"""

from odoo import fields, models

from ...ebay.endpoints import BULK_LIMIT
from ...ebay.inventory import InventoryApi
from ..marketplace.job_edge import marketplace_job


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    ebay_revision_reserve = fields.Integer(
        string="Revision reserve",
        default=10,
        help="Revisions per listing and day kept for drops to zero.",
    )

    def _marketplace_enqueue_stock_push(self, urgent=False):
        if self.channel != "ebay":
            return super()._marketplace_enqueue_stock_push(urgent=urgent)
        kind = "urgent" if urgent else "batch"
        self.with_delay(
            identity_key=f"ebay.stock.push.{kind}:{self.id}",
            description=f"eBay stock push {self.name}",
            priority=5 if urgent else 10,
        )._job_push_stock()
        return True

    def _enqueue_settle(self, when):
        """A push at ``when``, when the unsettled listings' requests can no
        longer land.  One waits per account; if a later mark needs a later
        time, that push enqueues the next (``_job_push_stock``)."""
        for account in self:
            account.with_delay(
                eta=when,
                identity_key=f"ebay.stock.push.settle:{account.id}",
                description=f"eBay stock push {account.name} (after a lost answer)",
                priority=5,
            )._job_push_stock()

    @marketplace_job
    def _job_push_stock(self):
        """Queue job: push every marked listing of the account, 25 per call.

        Marked: changed in Odoo, or unsettled (a lost answer) past the time
        its stalled request could land.
        """
        self.ensure_one()
        now = fields.Datetime.now()
        pending = self.env["ebay.listing"].search(
            [
                ("account_id", "=", self.id),
                ("company_id", "=", self.company_id.id),
                ("is_live", "=", True),
                "|",
                ("push_pending", "=", True),
                ("push_unsettled_until", "<=", now),
            ],
            order="push_urgent desc, id",
        )
        ready = pending._filter_budget()
        pushed = 0
        for start in range(0, len(ready), BULK_LIMIT):
            batch = ready[start : start + BULK_LIMIT]
            with self._job_edge(
                record=batch, operation="bulkUpdatePriceQuantity"
            ) as edge:
                pushed += batch._push_batch(InventoryApi(edge.client), now)
            if edge.failed:
                # Still marked: the next try (or the next push) sends them.
                batch.write({"push_error": edge.message})
                if not edge.refused:
                    break  # eBay is unavailable: the other batches wait too
        # A listing that is not live has nothing left to settle: publishing
        # it again sends Odoo's current values anyway.
        self.env["ebay.listing"].search(
            [
                ("account_id", "=", self.id),
                ("is_live", "=", False),
                ("push_unsettled_until", "<=", now),
            ]
        ).write({"push_unsettled_until": False})
        self._enqueue_later_settle(now)
        if not pending:
            return "nothing to push"
        return f"{pushed} listing(s) pushed, {len(pending) - len(ready)} deferred"

    def _enqueue_later_settle(self, now):
        """Listings still unsettled past ``now`` get their push at the end of
        their window (another push may have taken the settle job's place)."""
        unsettled = self.env["ebay.listing"].search(
            [("account_id", "=", self.id), ("push_unsettled_until", ">", now)],
            order="push_unsettled_until desc",
            limit=1,
        )
        if unsettled:
            self._enqueue_settle(unsettled.push_unsettled_until)
