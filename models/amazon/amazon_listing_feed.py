"""A listing's part of a JSON_LISTINGS_FEED: its message, and what the
processing report said of it (amazon_feed.py builds and follows the feed)."""

from odoo import models


class AmazonListing(models.Model):
    _inherit = "amazon.listing"

    # -- the message --------------------------------------------------------------
    def _amazon_feed_values(self, purpose):
        """What this listing's message carries now, or None when the feed no
        longer needs it (pushed meanwhile, no longer live, no longer queued)."""
        self.ensure_one()
        if purpose == "publish":
            if not self._amazon_waits_for_feed_publish():
                return None
            # The values the listing's attributes are built with now.
            quantity, price = self._targets()
            return {"quantity": quantity, "price": price}
        if not self.is_live:
            return None
        quantity, price = self._targets()
        if (
            not self.push_pending
            and not self.push_unsettled_until
            and (quantity, price) == (self.pushed_quantity, self.pushed_price)
        ):
            return None
        return {"quantity": quantity, "price": price}

    def _amazon_feed_message(self, message, purpose):
        """The listings-feed-schema-v2 message (without its messageId)."""
        self.ensure_one()
        if purpose == "offer":
            return {
                "sku": self.sku,
                "operationType": "PATCH",
                "productType": self._amazon_offer_product_type(),
                "patches": self._amazon_offer_patches_for(
                    message.quantity, message.price
                ),
            }
        return self._amazon_message("UPDATE")

    # -- the report ----------------------------------------------------------------
    def _amazon_feed_result(self, feed, message, issues):
        """The report's word on this listing's message: its issues land on
        the listing, and the listing records what Amazon now has."""
        self.ensure_one()
        self._amazon_issues(issues, "feed")
        accepted = message.state == "accepted"
        if feed.purpose == "publish":
            return self._amazon_feed_published(feed, message, issues, accepted)
        if accepted:
            # What Amazon has now, even when an urgent patch went after the
            # feed left: Amazon may apply the two in either order, so the
            # feed's values are taken as Amazon's and _mark_push (called by
            # the feed for all its listings at once) sends Odoo's again when
            # they differ.
            self._amazon_pushed(message.quantity, message.price)
        else:
            self._write_system(
                {
                    "push_error": self.env._(
                        "Amazon refused the stock and price in feed %(feed)s: "
                        "%(issues)s",
                        feed=feed.name,
                        issues=message.issues or "",
                    )
                }
            )
        return None

    def _amazon_feed_lost(self, feed):
        """``feed`` failed again as a resubmission: its listings say so."""
        reason = self.env._(
            "Amazon feed %(feed)s ended %(state)s and was already a resubmission: "
            "open it and click Resubmit once the cause is fixed.",
            feed=feed.name,
            state=feed.state,
        )
        if feed.purpose == "offer":
            self._write_system({"push_error": reason})
        else:
            self._amazon_feed_publish_failed(reason)
