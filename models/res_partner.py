"""Buyers are matched by their username on the marketplace."""

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    marketplace_buyer_username = fields.Char(
        string="Marketplace buyer", copy=False, index=True
    )
