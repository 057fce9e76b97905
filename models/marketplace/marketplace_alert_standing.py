"""The seller standing's cause of an alert, added to the neutral ones: a
level that dropped (marketplace_account_standing.py raises it, once per
drop, about the reading that showed it)."""

from odoo import fields, models


class MarketplaceAlert(models.Model):
    _inherit = "marketplace.alert"

    cause = fields.Selection(
        selection_add=[("standing_dropped", "Seller level dropped")],
        ondelete={"standing_dropped": "cascade"},
    )
