"""The eBay account's feed threshold and its feed tasks.

Above ``ebay_feed_threshold`` listings, reconciliation reads eBay's Active
Inventory Report and bulk ends or revisions send one file, instead of one
call per listing (ebay_feed_task.py).
"""

from odoo import fields, models

from ...ebay import feed as ebay_feed

DEFAULT_FEED_THRESHOLD = 500


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    ebay_feed_threshold = fields.Integer(
        string="Use eBay's feeds above",
        default=DEFAULT_FEED_THRESHOLD,
        help="With more listings than this, the reconciliation reads eBay's "
        "report of all live listings, and ending or revising that many "
        "listings at once sends eBay one file, instead of one call per "
        "listing. eBay takes minutes to hours to answer a report or a file.",
    )

    def _ebay_uses_feed(self, count):
        """True when ``count`` listings are many enough for a feed."""
        self.ensure_one()
        return self.ebay_feed_threshold > 0 and count > self.ebay_feed_threshold

    def _ebay_reconcile_from_report(self, task, content):
        """Compare the Active Inventory Report of ``task`` with Odoo: every
        listing the task was asked for and still live in Odoo, found in the
        report by its eBay listing id; one the report does not name is not
        live on eBay any more."""
        self.ensure_one()
        rows = ebay_feed.parse_active_inventory_report(content)
        by_item = {row["item_id"]: row for row in rows if row["item_id"]}
        listings = task.listing_ids.filtered("is_live")
        seen, missing = {}, listings.browse()
        for listing in listings:
            row = by_item.get(listing.ebay_listing_id)
            if row is None:
                missing |= listing
                continue
            seen[listing.id] = {"quantity": row["quantity"], "price": row["price"]}
        task.write(
            {
                "success_count": len(listings) - len(missing),
                "error_count": len(missing),
                "summary": self.env._(
                    "%(count)s live listing(s) on eBay; %(missing)s of Odoo's "
                    "live listings not among them.",
                    count=len(rows),
                    missing=len(missing),
                ),
            }
        )
        return self._record_drift(listings, seen, missing=missing)
