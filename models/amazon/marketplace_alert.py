"""Amazon's causes of an alert, added to the neutral ones."""

from odoo import fields, models


class MarketplaceAlert(models.Model):
    _inherit = "marketplace.alert"

    cause = fields.Selection(
        selection_add=[
            ("amazon_client_secret_expiring", "LWA client secret about to expire"),
            ("amazon_client_secret_expired", "LWA client secret refused"),
            ("amazon_sqs_not_draining", "Amazon notifications not draining"),
        ],
        ondelete={
            "amazon_client_secret_expiring": "cascade",
            "amazon_client_secret_expired": "cascade",
            "amazon_sqs_not_draining": "cascade",
        },
    )
