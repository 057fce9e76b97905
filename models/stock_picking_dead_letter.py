"""A delivery whose tracking the marketplace refused is a dead letter;
requeued, its tracking is sent again (marketplace_dead_letter_source.py)."""

from odoo import models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "marketplace.dead.letter.source"]

    _dead_letter_kind = "tracking"
    _dead_letter_state_field = "marketplace_tracking_state"
    _dead_letter_failed_states = ("error",)
    _dead_letter_ok_states = ("sent",)
    _dead_letter_error_field = "marketplace_tracking_error"

    def _dead_letter_account(self):
        # The user validating the delivery may not read marketplace orders.
        return self.sudo()._marketplace_order().account_id

    def _dead_letter_requeue(self):
        self.action_resend_tracking()
