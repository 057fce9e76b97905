"""What the connector keeps about a record of an account's: the call log, the
alerts and the dead letters all say which account, which company and which
record (by model and id, as the chatter does) they are about."""

from odoo import fields, models


class MarketplaceReferenceMixin(models.AbstractModel):
    _name = "marketplace.reference.mixin"
    _description = "Kept by the connector about a record of an account"
    _inherit = ["marketplace.account.record.mixin"]

    # Written by the connector (as the system), never by hand: a row edited
    # over RPC could point at any record.
    res_model = fields.Char(
        string="Model", required=True, index=True, readonly=True, system_field=True
    )
    res_id = fields.Many2oneReference(
        string="Record",
        model_field="res_model",
        required=True,
        index=True,
        readonly=True,
        system_field=True,
    )

    # Stored and indexed: the call log, the alerts and the dead letters of
    # every channel share one list each, and staff filter and group them by
    # the account's marketplace (an account never changes channel).
    channel = fields.Selection(
        related="account_id.channel", store=True, index=True, system_field=True
    )

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "target": "current",
        }
