"""Listings of every channel give up the same way: a listing whose job ran
out of tries is ``failed`` (its ``retry_count`` says after how many), one the
marketplace refused is ``error``; it works again once published or ended, and
its own Requeue runs it again.  A channel's listing model that inherits it
provides ``retry_count``, ``last_error`` and ``action_requeue`` (as
ebay.listing does)."""

from odoo import models


class MarketplaceListingDeadLetterSource(models.AbstractModel):
    _name = "marketplace.listing.dead.letter.source"
    _description = "Listing that can give up (marketplace dead letters)"
    _inherit = ["marketplace.dead.letter.source"]

    # A listing's letters raise the "keeps failing" alert
    # (marketplace_dead_letter_alerts.py), whatever the channel calls them.
    _dead_letter_is_listing = True
    _dead_letter_ok_states = ("published", "ended")
    _dead_letter_attempts_field = "retry_count"

    def _dead_letter_requeue(self):
        self.action_requeue()
