"""Stock and price out to Amazon: few by patchListingsItem, many by feed.

Changes (validated moves, reservations, price changes, the account's stock
rules) mark the live listings (marketplace_listing_mixin.py) and ask for a
push (:meth:`_marketplace_enqueue_stock_push`).  The push job takes every
marked listing of the account:

* a drop to zero goes at once, one patchListingsItem per listing: a
  JSON_LISTINGS_FEED can wait in Amazon's queue for hours (stock-outs seen
  delayed by more than 12 h behind large feeds,
  https://github.com/amzn/selling-partner-api-models/issues/4823, AMAZON_FACTS
  §7), and a listing that still shows stock sells what Odoo no longer has;
* as many other changes as the feed threshold (Settings > Marketplaces) go
  the same way, so a single price change is not held up by a feed either;
* more become PATCH messages of one JSON_LISTINGS_FEED per marketplace
  (amazon_feed.py), one message per listing with the values it has when the
  feed leaves: however many moves came before, Amazon gets the last value.

Coalescing comes from the identity key, as for eBay: while a push job waits
or runs, further changes only mark listings.  A listing stays marked until
Amazon accepted its values (a patch answered ACCEPTED, or a feed message the
processing report accepts); 429s, 5xx and lost answers go through the job
edge (job_edge.py) like every other call.  A patch whose answer was lost
(timeout, dropped connection) may still land: the listing is unsettled until
it can no longer, and its current values are sent again then.  Run the
channel ``root.amazon.stock`` with capacity 1 so pushes of an account never
overlap.
"""

from odoo import fields, models

from ..marketplace.job_edge import marketplace_job
from .res_config_settings import feed_threshold


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    def _marketplace_enqueue_stock_push(self, urgent=False):
        if self.channel != "amazon":
            return super()._marketplace_enqueue_stock_push(urgent=urgent)
        kind = "urgent" if urgent else "batch"
        self.with_delay(
            identity_key=f"amazon.stock.push.{kind}:{self.id}",
            description=f"Amazon stock push {self.name}",
            priority=5 if urgent else 10,
        )._job_amazon_push_stock()
        return True

    def _amazon_enqueue_settle(self, when):
        """A push at ``when``, once the unsettled listings' lost patches can
        no longer land; one waits per account (a later one is enqueued by
        the push that finds listings still unsettled)."""
        for account in self:
            account.with_delay(
                eta=when,
                identity_key=f"amazon.stock.push.settle:{account.id}",
                description=f"Amazon stock push {account.name} (after a lost answer)",
                priority=5,
            )._job_amazon_push_stock()

    def _amazon_stock_pending(self, now):
        """Live listings marked for a push, or unsettled past ``now``."""
        return self.env["amazon.listing"].search(
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

    @marketplace_job
    def _job_amazon_push_stock(self):
        """Queue job: push every marked listing of the account."""
        self.ensure_one()
        now = fields.Datetime.now()
        pending = self._amazon_stock_pending(now)
        urgent = pending.filtered("push_urgent")
        # A listing carried by a feed still on its way waits for its report
        # (the report re-marks it when Odoo's values moved on); a drop to
        # zero does not wait for anything.
        rest = pending - urgent
        rest -= self.env["amazon.feed"]._open_messages(rest, "offer").listing_id
        by_call = urgent
        if len(rest) <= feed_threshold(self.env):
            by_call, rest = by_call | rest, rest.browse()
        patched = by_call._amazon_patch_offers(now)
        feeds = self.env["amazon.feed"]._add_listings(self, "offer", rest)
        # A listing that is not live has nothing left to settle: publishing
        # it again sends Odoo's current values anyway.
        self.env["amazon.listing"].search(
            [
                ("account_id", "=", self.id),
                ("is_live", "=", False),
                ("push_unsettled_until", "<=", now),
            ]
        ).write({"push_unsettled_until": False})
        unsettled = self.env["amazon.listing"].search(
            [("account_id", "=", self.id), ("push_unsettled_until", ">", now)],
            order="push_unsettled_until desc",
            limit=1,
        )
        if unsettled:
            self._amazon_enqueue_settle(unsettled.push_unsettled_until)
        if not pending:
            return "nothing to push"
        return (
            f"{patched} of {len(by_call)} listing(s) patched, {len(rest)} in "
            f"{len(feeds)} feed(s)"
        )
