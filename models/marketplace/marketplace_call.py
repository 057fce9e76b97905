"""The call log: one row per call of every channel, what, when, how it went,
and the record it served (by model and id): the one record of the job, else
the account (a bulk call, a token call)."""

from odoo import api, fields, models


class MarketplaceCall(models.Model):
    _name = "marketplace.call"
    _description = "Marketplace Call"
    _inherit = ["marketplace.reference.mixin"]
    _order = "id desc"

    # Written by the system only (no group may write the call log).
    operation = fields.Char(required=True, index=True)
    request_id = fields.Char(string="Correlation ID", index=True)
    http_status = fields.Integer(string="HTTP status")
    state = fields.Selection(
        [("success", "Success"), ("failed", "Failed")], required=True, index=True
    )
    error_codes = fields.Char(
        string="Error codes",
        index=True,
        help="The marketplace's error codes, comma-separated.",
    )
    message = fields.Text()
    duration_ms = fields.Integer(string="Duration (ms)")

    @api.model_create_multi
    def create(self, vals_list):
        # A call that names no record served its account.
        for vals in vals_list:
            if not vals.get("res_model") and vals.get("account_id"):
                vals.update(res_model="marketplace.account", res_id=vals["account_id"])
        return super().create(vals_list)

    @api.model
    def _values_from_call(self, call, account, record=None):
        """A row's values from a client's ``on_call`` dict; ``record`` is the
        one record the call served (default: the account)."""
        record = record or account
        ok = (
            200 <= call.get("status", 0) < 300
            and not call.get("error_ids")
            and not call.get("message")
        )
        return {
            "account_id": account.id,
            "res_model": record._name,
            "res_id": record.id,
            "operation": call.get("operation") or "",
            "request_id": call.get("request_id"),
            "http_status": call.get("status", 0),
            "state": "success" if ok else "failed",
            "error_codes": ",".join(str(i) for i in call.get("error_ids") or [])
            or False,
            "message": call.get("message") or False,
            "duration_ms": call.get("duration_ms", 0),
        }
