"""A marketplace order that could not become a sale order (flagged) is a dead
letter; requeued, its import is retried (marketplace_dead_letter_source.py)."""

from odoo import models


class MarketplaceOrder(models.Model):
    _name = "marketplace.order"
    _inherit = ["marketplace.order", "marketplace.dead.letter.source"]

    _dead_letter_kind = "order"
    _dead_letter_failed_states = ("flagged",)
    _dead_letter_ok_states = ("imported", "cancelled")
    _dead_letter_error_field = "flag_reason"

    def _dead_letter_requeue(self):
        self.action_retry()
