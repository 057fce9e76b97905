"""eBay's kinds of vaulted secrets, added to the neutral vault."""

from odoo import fields, models


class MarketplaceSecret(models.Model):
    _inherit = "marketplace.secret"

    # The application token (client credentials grant) and the verification
    # token eBay's notification endpoint challenge is answered with.
    kind = fields.Selection(
        selection_add=[
            ("app_access", "Application access token"),
            ("verification_token", "Notification verification token"),
        ],
        ondelete={"app_access": "cascade", "verification_token": "cascade"},
    )
