"""A listing's part of a JSON_LISTINGS_FEED: its message, and what the
processing report said of it (amazon_feed.py builds and follows the feed)."""

from odoo import models

# Report and listing severities -> amazon.listing.issue severities.
SEVERITIES = {"ERROR": "error", "WARNING": "warning", "INFO": "info"}


class AmazonListing(models.Model):
    _inherit = "amazon.listing"

    # -- the message --------------------------------------------------------------
    def _amazon_feed_values(self, purpose):
        """What this listing's message carries now, or None when the feed no
        longer needs it (pushed meanwhile, no longer live, no longer queued)."""
        self.ensure_one()
        if purpose == "publish":
            return {} if self._amazon_waits_for_feed_publish() else None
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

    def _amazon_feed_message(self, message, marketplace_code, currency, purpose):
        """The listings-feed-schema-v2 message (without its messageId)."""
        self.ensure_one()
        if purpose == "offer":
            return {
                "sku": self.sku,
                "operationType": "PATCH",
                "productType": "PRODUCT",
                "patches": self._amazon_offer_patches(message.quantity, message.price),
            }
        return {
            "sku": self.sku,
            "operationType": "UPDATE",
            "productType": self.product_type_id.code,
            "requirements": "LISTING",
            "attributes": self._amazon_feed_attributes(),
        }

    # -- the report ----------------------------------------------------------------
    def _amazon_feed_result(self, feed, message, issues):
        """The report's word on this listing's message: its issues land on
        the listing, and the listing records what Amazon now has."""
        self.ensure_one()
        self._amazon_land_issues(issues, "feed")
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

    def _amazon_land_issues(self, issues, source):
        """Replace this listing's issues from ``source`` by ``issues`` (the
        Listings Items issue shape: code, message, severity, attributeNames,
        categories)."""
        self.ensure_one()
        Issue = self.env["amazon.listing.issue"].sudo()
        Issue.search(
            [("listing_id", "=", self.id), ("source", "=", source)]
        ).unlink()
        Issue.create(
            [
                {
                    "listing_id": self.id,
                    "code": str(issue.get("code") or ""),
                    "message": issue.get("message") or "",
                    "severity": SEVERITIES.get(issue.get("severity"), "info"),
                    "attribute_names": ", ".join(
                        issue.get("attributeNames")
                        or ([issue["attributeName"]] if issue.get("attributeName") else [])
                    ),
                    "categories": ", ".join(issue.get("categories") or []),
                    "source": source,
                }
                for issue in issues
            ]
        )
