"""What the connector opens about a record for staff to see through: an alert
or a dead letter has a name and a state that starts open (each model says
which states follow, ``_issue_states``)."""

from odoo import fields, models


class MarketplaceIssueMixin(models.AbstractModel):
    _name = "marketplace.issue.mixin"
    _description = "Opened by the connector about a record of an account"
    _inherit = ["marketplace.reference.mixin"]

    name = fields.Char(required=True, readonly=True, system_field=True)
    state = fields.Selection(
        selection="_issue_states",
        required=True,
        default="open",
        index=True,
        readonly=True,
        system_field=True,
    )

    def _issue_states(self):
        return [("open", "Open")]
