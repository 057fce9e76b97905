"""eBay listings give up into the dead-letter inbox and are requeued from it
(marketplace_listing_dead_letter_source.py)."""

from odoo import models


class EbayListing(models.Model):
    _name = "ebay.listing"
    _inherit = ["ebay.listing", "marketplace.listing.dead.letter.source"]

    _dead_letter_kind = "listing"
