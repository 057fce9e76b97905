"""The alerts an Amazon feed raises on its account (amazon_feed.py): it
failed, or Amazon has not finished it for a day."""

from odoo import fields, models


class MarketplaceAlert(models.Model):
    _inherit = "marketplace.alert"

    cause = fields.Selection(
        selection_add=[
            ("amazon_feed_failed", "Amazon feed failed"),
            ("amazon_feed_stuck", "Amazon feed not finished"),
        ],
        ondelete={"amazon_feed_failed": "cascade", "amazon_feed_stuck": "cascade"},
    )
