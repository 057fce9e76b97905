"""Publishing many listings at once: one JSON_LISTINGS_FEED per marketplace.

Up to the feed threshold (Settings > Marketplaces) a publish goes one
putListingsItem per listing (amazon_listing.py); more go as UPDATE messages
of a feed (amazon_feed.py): 1,000 new SKUs take a handful of calls instead of
1,000 puts at 5 per second.  Each listing is checked against its product
type's schema when the feed leaves, as a put would be; the processing
report's issues land on each listing and the accepted ones are read back
later like a put (issues Amazon raises after acceptance).

Variation families (a parent and its children) keep the one-call path: a
child names its parent, which Amazon must have first, and a feed does not
promise the order in which its messages are applied.
"""

from odoo import fields, models

from .res_config_settings import feed_threshold


class AmazonListing(models.Model):
    _inherit = "amazon.listing"

    def _queue(self, operation):
        if operation != "publish":
            return super()._queue(operation)
        single = self.filtered(lambda l: l.parentage != "none")
        bulk = self - single
        if len(bulk) <= feed_threshold(self.env):
            return super()._queue(operation)
        super(AmazonListing, single)._queue(operation)
        bulk._set_state("queued", pending_operation="publish", last_error=False)
        Feed = self.env["amazon.feed"].sudo()
        for account, listings in bulk.grouped("account_id").items():
            Feed._add_listings(account, "publish", listings)
        return True

    def _amazon_waits_for_feed_publish(self):
        self.ensure_one()
        return self.state == "queued" and self.pending_operation == "publish"

    def _amazon_checked_for_feed(self, client):
        """The listings whose attributes pass their product type's schema;
        the others are in error with their problems, as a put would be."""
        passed = self.browse()
        for listing in self:
            listing._definition(client)
            problems = listing._amazon_check()
            if problems:
                listing._set_state(
                    "error",
                    pending_operation=False,
                    last_error=listing._summary(problems),
                )
            else:
                passed |= listing
        return passed

    def _amazon_feed_published(self, feed, message, issues, accepted):
        """The report's word on this listing's UPDATE message."""
        self.ensure_one()
        if not accepted:
            self._refused("publish", message.issues or feed.name)
            return
        self._done(
            self.env._(
                "Amazon accepted the listing in feed %(feed)s; its status is read "
                "back once Amazon applied it.",
                feed=feed.name,
            )
        )
        self._set_state(
            "published",
            is_live=True,
            submission_id=feed.amazon_feed_id,
            last_submitted_at=feed.submitted_at,
            readback_count=0,
            push_unsettled_until=False,
            pushed_quantity=message.quantity,
            pushed_price=message.price,
            pushed_at=fields.Datetime.now(),
            push_pending=False,
            push_urgent=False,
            push_error=False,
        )
        self._queue_readback()

    def _amazon_feed_publish_failed(self, reason):
        for listing in self.filtered(lambda l: l.state == "queued"):
            listing._refused("publish", reason)
