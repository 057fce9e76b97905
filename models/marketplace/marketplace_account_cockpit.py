"""The account form's buttons to its open dead letters and alerts
(views/marketplace_account_cockpit_views.xml)."""

from odoo import fields, models


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    dead_letter_count = fields.Integer(compute="_compute_cockpit_counts")
    alert_count = fields.Integer(
        string="Open alerts", compute="_compute_cockpit_counts"
    )

    def _compute_cockpit_counts(self):
        letters = self._open_counts("marketplace.dead.letter")
        alerts = self._open_counts("marketplace.alert")
        for account in self:
            account.dead_letter_count = letters.get(account, 0)
            account.alert_count = alerts.get(account, 0)

    def action_open_dead_letters(self):
        return self._action_for_account(
            "marketplace_connector.marketplace_dead_letter_action"
        )

    def action_open_alerts(self):
        return self._action_for_account(
            "marketplace_connector.marketplace_alert_action"
        )
