"""eBay's reconciliation job: read what eBay shows for the live listings.

Quantities come from bulkGetInventoryItem (25 per call), prices from
getOffer; the neutral account records the drift (marketplace_account_drift.py).
Above the account's feed threshold, one Active Inventory Report replaces
those calls (a feed task, ebay_feed_task.py): the job asks for it and the
task's own jobs read it when eBay has made it.
"""

from datetime import timedelta

from odoo import fields, models

from ...ebay import feed as ebay_feed
from ...ebay.endpoints import BULK_LIMIT
from ...ebay.inventory import InventoryApi
from ..marketplace.job_edge import marketplace_job

# A report eBay has not made in a day is not waited for any more.
REPORT_STALE_AFTER = timedelta(hours=24)


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    def _marketplace_enqueue_reconcile(self):
        if self.channel != "ebay":
            return super()._marketplace_enqueue_reconcile()
        self.with_delay(
            identity_key=f"ebay.reconcile:{self.id}",
            description=f"eBay reconciliation {self.name}",
        )._job_reconcile()
        return True

    @marketplace_job
    def _job_reconcile(self):
        """Queue job: find drift between eBay and Odoo for live listings."""
        self.ensure_one()
        listings = self.env["ebay.listing"].search(
            [("account_id", "=", self.id), ("is_live", "=", True)]
        )
        if self._ebay_uses_feed(len(listings)):
            return self._ebay_reconcile_by_report(listings)
        # The inventory item's quantity is the SKU's, shared by its offers;
        # an offer that sells a share of it (several marketplaces) says so in
        # its availableQuantity, and that is what its listing shows.
        item_quantities, seen = {}, {}
        with self._job_edge(record=self, operation="reconcile") as edge:
            api_ = InventoryApi(edge.client)
            for start in range(0, len(listings), BULK_LIMIT):
                chunk = listings[start : start + BULK_LIMIT]
                data = api_.bulk_get_inventory_item(chunk.mapped("sku"))
                for response in data.get("responses", []):
                    item = response.get("inventoryItem") or {}
                    quantity = (
                        (item.get("availability") or {}).get(
                            "shipToLocationAvailability"
                        )
                        or {}
                    ).get("quantity")
                    item_quantities[response.get("sku")] = quantity
            for listing in listings:
                offer = api_.get_offer(listing.offer_id)
                price = ((offer.get("pricingSummary") or {}).get("price") or {}).get(
                    "value"
                )
                quantity = offer.get("availableQuantity")
                seen[listing.id] = {
                    "quantity": item_quantities.get(listing.sku)
                    if quantity is None
                    else quantity,
                    "price": float(price) if price else None,
                }
        if edge.failed:
            if not edge.retrying:
                self.message_post(
                    body=self.env._("Reconciliation failed: %(r)s", r=edge.message)
                )
            return f"failed: {edge.message}"
        return self._record_drift(listings, seen)

    def _ebay_reconcile_by_report(self, listings):
        """Ask for the Active Inventory Report, unless one is on its way."""
        Task = self.env["ebay.feed.task"].sudo()
        open_ = Task.search(
            [
                ("account_id", "=", self.id),
                ("feed_type", "=", ebay_feed.ACTIVE_INVENTORY_REPORT),
                ("state", "in", ("draft", "queued", "in_process")),
                ("create_date", ">", fields.Datetime.now() - REPORT_STALE_AFTER),
            ],
            limit=1,
        )
        if open_:
            return f"skipped: report {open_.name} is on its way"
        task = Task._start(self, ebay_feed.ACTIVE_INVENTORY_REPORT, listings)
        return f"report asked for {len(listings)} live listing(s) ({task.name})"
