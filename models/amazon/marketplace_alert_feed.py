"""The alert a failed Amazon feed raises on its account (amazon_feed.py)."""

from odoo import fields, models


class MarketplaceAlert(models.Model):
    _inherit = "marketplace.alert"

    cause = fields.Selection(
        selection_add=[("amazon_feed_failed", "Amazon feed failed")],
        ondelete={"amazon_feed_failed": "cascade"},
    )
