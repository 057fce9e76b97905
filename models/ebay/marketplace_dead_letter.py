"""eBay's own kind of dead letter: a variation listing (several variants
published as one eBay listing) that gave up."""

from odoo import fields, models


class MarketplaceDeadLetter(models.Model):
    _inherit = "marketplace.dead.letter"

    kind = fields.Selection(
        selection_add=[("listing_group", "Variation listing")],
        ondelete={"listing_group": "cascade"},
    )
