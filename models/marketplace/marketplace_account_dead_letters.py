"""The account's dead letters: a count and the inbox filtered on it."""

from odoo import fields, models


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    dead_letter_count = fields.Integer(compute="_compute_dead_letter_count")

    def _compute_dead_letter_count(self):
        counts = self._open_counts("marketplace.dead.letter")
        for account in self:
            account.dead_letter_count = counts.get(account, 0)

    def action_open_dead_letters(self):
        return self._action_for_account(
            "marketplace_connector.marketplace_dead_letter_action"
        )
