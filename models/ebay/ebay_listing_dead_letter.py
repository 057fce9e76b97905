"""eBay listings give up into the dead-letter inbox and are requeued from it
(marketplace_dead_letter_source.py)."""

from odoo import models


class EbayListing(models.Model):
    _name = "ebay.listing"
    _inherit = ["ebay.listing", "marketplace.dead.letter.source"]

    _dead_letter_kind = "listing"
    _dead_letter_ok_states = ("published", "ended")
    _dead_letter_attempts_field = "retry_count"

    def _dead_letter_requeue(self):
        self.action_requeue()
