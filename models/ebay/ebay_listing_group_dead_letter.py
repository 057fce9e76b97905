"""eBay variation listings give up into the dead-letter inbox and are
requeued from it (marketplace_listing_dead_letter_source.py)."""

from odoo import models


class EbayListingGroup(models.Model):
    _name = "ebay.listing.group"
    _inherit = ["ebay.listing.group", "marketplace.listing.dead.letter.source"]

    _dead_letter_kind = "listing_group"
