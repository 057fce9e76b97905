"""A listing's part of eBay's stock push: the revision budget and the bulk call.

The marks and pushed values are the mixin's (marketplace_listing_mixin.py);
the account's push job is in marketplace_account_stock_push.py.
"""

from odoo import fields, models

from ...ebay.messages import actionable_message
from .ebay_listing import REVISIONS_PER_DAY


class EbayListing(models.Model):
    _inherit = "ebay.listing"

    def _marketplace_outcome_unknown(self, until):
        """A write of these listings may still land until ``until``: keep
        them marked, and push their current values once it cannot."""
        for listing in self:
            later = listing.push_unsettled_until
            if not later or later < until:
                listing.push_unsettled_until = until
        self.account_id._enqueue_settle(until)

    def _filter_budget(self):
        """Urgent drops always go; others wait when the budget runs low."""
        ready = self.browse()
        for listing in self:
            left = listing._revisions_left()
            reserve = listing.account_id.ebay_revision_reserve
            if (listing.push_urgent and left > 0) or left > reserve:
                ready |= listing
            else:
                listing.write(
                    {
                        "push_deferred": True,
                        "push_error": self.env._(
                            "eBay's %(max)s revisions for today are nearly used; "
                            "this update waits for tomorrow (a reserve is kept "
                            "for drops to zero).",
                            max=REVISIONS_PER_DAY,
                        ),
                    }
                )
        return ready

    def _push_batch(self, api_, now):
        """One bulkUpdatePriceQuantity; returns how many eBay accepted.

        ``now``: when the job looked for work.  A listing unsettled until
        then is settled by this push; one still in its window stays marked.

        One entry per SKU: the inventory item's quantity, which every offer
        of the SKU shares, and an offer per listing of the SKU in the batch
        (one per marketplace), with its own quantity and price.  eBay answers
        per offer.
        """
        requests_, targets, by_sku = {}, {}, {}
        for listing in self:
            shared, quantity = listing._ebay_quantities()
            price = listing._ebay_price()
            targets[listing.offer_id] = (listing, quantity, price)
            by_sku.setdefault(listing.sku, []).append(listing.offer_id)
            entry = requests_.setdefault(
                listing.sku,
                {
                    "sku": listing.sku,
                    "shipToLocationAvailability": {"quantity": shared},
                    "offers": [],
                },
            )
            entry["offers"].append(
                {
                    "offerId": listing.offer_id,
                    "availableQuantity": quantity,
                    "price": {
                        "value": f"{price:.2f}",
                        "currency": listing.currency_id.name or "USD",
                    },
                }
            )
        data = api_.bulk_update_price_quantity(list(requests_.values()))
        pushed = 0
        pushed_at = fields.Datetime.now()
        for response in data.get("responses", []):
            # An answer about the whole SKU (it is unknown) names no offer.
            offer_ids = (
                [response["offerId"]]
                if response.get("offerId")
                else by_sku.get(response.get("sku"), [])
            )
            for offer_id in offer_ids:
                listing, quantity, price = targets.get(offer_id, (None, 0, 0))
                if not listing:
                    continue
                if response.get("statusCode", 500) < 300:
                    unsettled = listing.push_unsettled_until
                    listing.write(
                        {
                            "pushed_quantity": quantity,
                            "pushed_price": price,
                            "pushed_at": pushed_at,
                            "push_pending": False,
                            "push_urgent": False,
                            "push_error": False,
                            "push_unsettled_until": unsettled
                            if unsettled and unsettled > now
                            else False,
                        }
                    )
                    listing._count_revisions(1)
                    pushed += 1
                else:
                    listing.push_error = actionable_message(response.get("errors"))
        return pushed
