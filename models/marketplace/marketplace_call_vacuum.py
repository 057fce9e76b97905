"""The call log is vacuumed (see marketplace_vacuum_mixin.py)."""

from odoo import models


class MarketplaceCall(models.Model):
    _name = "marketplace.call"
    _inherit = ["marketplace.call", "marketplace.vacuum.mixin"]

    def init(self):
        super().init()
        self._vacuum_index()
