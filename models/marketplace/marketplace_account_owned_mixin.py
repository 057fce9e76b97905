"""A record people create in one marketplace account (a listing, a variation
listing, a policy): it takes the account's company and never moves to
another account or company afterwards."""

from odoo import fields, models


class MarketplaceAccountOwnedMixin(models.AbstractModel):
    _name = "marketplace.account.owned.mixin"
    _description = "Created in one marketplace account, never moved out of it"
    _inherit = ["marketplace.protected.fields.mixin"]
    _check_company_auto = True
    # The company is the account's, given at creation (protected fields mixin).
    _company_from_field = "account_id"

    # What lives on the marketplace lives in that account: it never moves.
    account_id = fields.Many2one(
        "marketplace.account",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
        set_once=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
        set_once=True,
    )
