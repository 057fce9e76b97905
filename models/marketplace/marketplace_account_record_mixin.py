"""A record that belongs to one marketplace account: its account and its
company, both the connector's.  The inbox, drift lines, call log, alerts and
dead letters are all such records."""

from odoo import fields, models


class MarketplaceAccountRecordMixin(models.AbstractModel):
    _name = "marketplace.account.record.mixin"
    _description = "Kept by the connector for one marketplace account"
    _inherit = ["marketplace.protected.fields.mixin"]
    _check_company_auto = True

    # Written by the connector (as the system), never by hand: a row edited
    # over RPC could be moved to any account or company.
    account_id = fields.Many2one(
        "marketplace.account",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
        check_company=True,
        system_field=True,
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, system_field=True
    )
