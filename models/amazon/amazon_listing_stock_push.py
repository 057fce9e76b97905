"""A listing's part of Amazon's stock push: the patchListingsItem path.

The marks and pushed values are the mixin's (marketplace_listing_mixin.py);
the account's push job is in marketplace_account_stock_push.py, the feed
path in amazon_listing_feed.py.
"""

from odoo import fields, models

from ...amazon.attributes import offer_patches


class AmazonListing(models.Model):
    _inherit = "amazon.listing"

    def _amazon_offer_patches_for(self, quantity, price):
        """The patches that set ``quantity`` and ``price`` (a feed message
        carries the values it was built with, not the listing's current
        ones)."""
        self.ensure_one()
        marketplace, _language, currency = self._amazon_marketplace()
        return offer_patches(
            price=price,
            quantity=quantity,
            marketplace_id=marketplace,
            currency=currency,
        )

    def _amazon_offer_product_type(self):
        """The listing's product type, else PRODUCT: Amazon's name for
        offer-only updates (LG §Considerations; Amazon's own pricing sample
        patches with PRODUCT, S use-cases/pricing/.../submit_price_handler.py)."""
        self.ensure_one()
        return self.product_type_id.code or "PRODUCT"

    def _amazon_patch_offers(self, now):
        """One patchListingsItem per listing with Odoo's quantity and price;
        returns how many Amazon accepted.

        ``now``: when the job looked for work (a listing unsettled until then
        is settled by this patch).  A transient failure stops the loop: the
        job edge queued the job's next try, which sends the rest too.
        """
        accepted = 0
        for listing in self:
            quantity, price = listing._targets()
            with listing.account_id._job_edge(
                record=listing, operation="patchListingsItem"
            ) as edge:
                result = edge.client.listings.patch(
                    listing.sku,
                    [listing.marketplace_code],
                    listing._amazon_offer_product_type(),
                    listing._amazon_offer_patches_for(quantity, price),
                )
            if edge.failed:
                listing.push_error = edge.message
                if edge.refused:
                    continue
                break
            if result.get("status") == "ACCEPTED":
                listing._amazon_pushed(quantity, price, now)
                accepted += 1
                continue
            # INVALID: nothing changed on Amazon; the listing stays marked
            # and shows why (its issues, where staff work).
            errors = listing._amazon_issues(result.get("issues"), "submission")
            listing.push_error = listing._summary(errors) or self.env._(
                "Amazon did not accept the stock and price (%(status)s).",
                status=result.get("status"),
            )
        return accepted

    def _amazon_pushed(self, quantity, price, now=None):
        """Amazon has (or will apply) ``quantity`` and ``price``."""
        values = {
            "pushed_quantity": quantity,
            "pushed_price": price,
            "pushed_at": fields.Datetime.now(),
            "push_pending": False,
            "push_urgent": False,
            "push_error": False,
        }
        if now:
            still = self.filtered(
                lambda l: l.push_unsettled_until and l.push_unsettled_until > now
            )
            (self - still).write(dict(values, push_unsettled_until=False))
            still.write(values)
        else:
            self.write(values)

    def _marketplace_outcome_unknown(self, until):
        """A patch of these listings may still land until ``until``: keep
        them marked, and push their current values once it cannot."""
        for listing in self:
            later = listing.push_unsettled_until
            if not later or later < until:
                listing.push_unsettled_until = until
        self.account_id._amazon_enqueue_settle(until)
        others = getattr(super(), "_marketplace_outcome_unknown", None)
        return others(until) if others else None
