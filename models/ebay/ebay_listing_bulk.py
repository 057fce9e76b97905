"""Publishing many new listings with eBay's bulk calls, 25 per call.

1,000 new SKUs take 40 bulkCreateOrReplaceInventoryItem + 40 bulkCreateOffer
+ 40 bulkPublishOffer calls instead of 4,000 single calls.  eBay answers a
bulk call item by item (200 or 207 Multi-Status): each listing gets its own
outcome, so one bad SKU never holds back the 24 others.  What a batch got
done before a call failed stays done (offers made, listings published): its
next try, queued by the job edge, carries on with the listings still queued.

Ending, or sending the prices and quantities of, more live listings of an
account than its feed threshold goes through one eBay feed task instead
(an LMS_END_FIXED_PRICE_ITEM or LMS_REVISE_INVENTORY_STATUS file,
ebay_feed_task.py): each listing gets its own answer from the task's result
file.
"""

import hashlib

from odoo import models

from ...ebay import feed as ebay_feed
from ...ebay import payloads
from ...ebay.endpoints import BULK_LIMIT
from ...ebay.inventory import InventoryApi
from ...ebay.messages import actionable_message
from ..marketplace.job_edge import marketplace_job


class EbayListing(models.Model):
    _inherit = "ebay.listing"

    def _queue_publish(self):
        """New listings go in bulk batches; live ones are revised one by one."""
        fresh = self.filtered(lambda l: not l.is_live)
        if len(fresh) < 2:
            return super()._queue_publish()
        (self - fresh)._queue("publish")
        fresh._set_state("queued", pending_operation="publish", last_error=False)
        for account in fresh.account_id:
            mine = fresh.filtered(lambda l, a=account: l.account_id == a)
            for start in range(0, len(mine), BULK_LIMIT):
                mine[start : start + BULK_LIMIT]._enqueue_bulk_publish()
        return True

    def action_end(self):
        """End the listings; a large selection of one account in one feed."""
        self.check_access("write")
        fed = self.browse()
        live = self.filtered(lambda l: l.offer_id and l.ebay_listing_id and l.is_live)
        for account, group in live.grouped("account_id").items():
            if account._ebay_uses_feed(len(group)):
                group.sudo()._queue_by_feed("end", ebay_feed.END_FIXED_PRICE_ITEM)
                fed |= group
        return super(EbayListing, self - fed).action_end()

    def action_send_price_quantity(self):
        """Send the prices and quantities Odoo wants of these live listings:
        a large selection of one account in one feed, the others by the
        stock push (marked, then pushed in batches of 25)."""
        self.check_access("write")
        live = self.filtered(lambda l: l.ebay_listing_id and l.is_live)
        pushed = self.browse()
        for account, group in live.grouped("account_id").items():
            if account._ebay_uses_feed(len(group)):
                self.env["ebay.feed.task"]._start(
                    account, ebay_feed.REVISE_INVENTORY_STATUS, group.sudo()
                )
            else:
                pushed |= group
        if pushed:
            pushed.sudo()._mark_push()
            for account in pushed.account_id:
                account.sudo()._marketplace_enqueue_stock_push(urgent=True)
        return self._notify(
            self.env._(
                "The prices and quantities of %(count)s listing(s) are on their "
                "way to eBay.",
                count=len(live),
            )
        )

    def _queue_by_feed(self, operation, feed_type):
        self._set_state("queued", pending_operation=operation, last_error=False)
        for account, group in self.grouped("account_id").items():
            self.env["ebay.feed.task"]._start(account, feed_type, group)

    def _enqueue_bulk_publish(self):
        digest = hashlib.sha1(",".join(map(str, sorted(self.ids))).encode()).hexdigest()
        self.with_delay(
            identity_key=f"ebay.listing.bulk_publish:{digest}",
            description=f"eBay bulk publish of {len(self)} listing(s)",
        )._job_bulk_publish()

    @marketplace_job
    def _job_bulk_publish(self):
        """Queue job: create items, offers and listings for up to 25 SKUs."""
        todo = self.filtered(
            lambda l: l.state == "queued" and l.pending_operation == "publish"
        )
        if not todo:
            return "skipped: nothing left to publish"
        account = todo.account_id
        account.ensure_one()
        with account._job_edge(record=todo, operation="bulk publish") as edge:
            api = InventoryApi(edge.client)
            items_ok = todo._bulk_items(api)
            offers_ok = items_ok._bulk_offers(api)
            offers_ok._bulk_publish(api)
        waiting = todo.filtered(lambda l: l.state == "queued")
        if edge.refused:
            waiting._set_state("error", last_error=edge.message)
        elif edge.retrying:
            waiting.write({"retry_count": edge.tries, "last_error": edge.message})
        published = len(todo.filtered(lambda l: l.state == "published"))
        return f"bulk publish: {published} of {len(todo)} published"

    def _bulk_items(self, api):
        # One inventory item per SKU, shared by its listings (one per
        # marketplace): sent once.
        by_sku = {}
        for listing in self:
            by_sku[listing.sku] = by_sku.get(listing.sku, self.browse()) | listing
        requests_ = []
        for sku, listings in by_sku.items():
            listing = listings[0]
            listing._ensure_media_image(api.client)
            item = payloads.inventory_item(listing._listing_data())

            requests_.append(dict(item, sku=sku, locale="en_US"))
        data = api.bulk_create_or_replace_inventory_item(requests_)
        ok = self.browse()
        for response in data.get("responses", []):
            listings = by_sku.get(response.get("sku"))
            if not listings:
                continue
            if response.get("statusCode", 500) < 300:
                ok |= listings
            else:
                for listing in listings:
                    listing._refused_entry("createOrReplaceInventoryItem", response)
        return ok

    def _bulk_offers(self, api):
        ready = self.filtered("offer_id")
        new = self - ready
        if not new:
            return ready
        # An offer is the SKU's on one marketplace.
        by_offer = {(l.sku, l.marketplace_id): l for l in new}
        data = api.bulk_create_offer([payloads.offer(l._listing_data()) for l in new])
        for response in data.get("responses", []):
            listing = by_offer.get((response.get("sku"), response.get("marketplaceId")))
            if not listing:
                continue
            offer_id = response.get("offerId") or _existing_offer_id(response)
            if offer_id:
                listing.offer_id = offer_id
                ready |= listing
            else:
                listing._refused_entry("createOffer", response)
        return ready

    def _bulk_publish(self, api):
        if not self:
            return
        by_offer = {l.offer_id: l for l in self}
        data = api.bulk_publish_offer(list(by_offer))
        for response in data.get("responses", []):
            listing = by_offer.get(response.get("offerId"))
            if not listing:
                continue
            if response.get("statusCode", 500) < 300 and response.get("listingId"):
                quantity, price = listing._targets()
                listing._set_state(
                    "published",
                    pushed_quantity=quantity,
                    pushed_price=price,
                    is_live=True,
                    ebay_listing_id=response["listingId"],
                    pending_operation=False,
                    last_error=False,
                    retry_count=0,
                )
            else:
                listing._refused_entry("publishOffer", response)

    def _refused_entry(self, operation, response):
        message = actionable_message(response.get("errors"), default=operation)
        self._set_state("error", last_error=message)


def _existing_offer_id(response):
    """eBay's "offer already exists" names the offer: reuse it."""
    for entry in response.get("errors") or []:
        for param in entry.get("parameters") or []:
            if param.get("name") == "offerId":
                return param.get("value")
    return None
