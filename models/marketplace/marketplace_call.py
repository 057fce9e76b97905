"""One row per eBay call made for a listing: what, when, how it went."""

from odoo import api, fields, models


class MarketplaceCall(models.Model):
    _name = "marketplace.call"
    _description = "eBay Call (Publish Attempt)"
    _order = "id desc"
    _check_company_auto = True

    # Written by the system only (no group may write the call log).
    account_id = fields.Many2one(
        "marketplace.account",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    listing_id = fields.Many2one(
        "ebay.listing", ondelete="cascade", index=True, check_company=True
    )
    operation = fields.Char(required=True, index=True)
    request_id = fields.Char(string="Correlation ID", index=True)
    http_status = fields.Integer(string="HTTP status")
    state = fields.Selection(
        [("success", "Success"), ("failed", "Failed")], required=True, index=True
    )
    error_ids = fields.Char(string="eBay error IDs", index=True)
    message = fields.Text()
    duration_ms = fields.Integer(string="Duration (ms)")

    @api.model
    def _values_from_call(self, call, account, listing=None):
        ok = (
            200 <= call.get("status", 0) < 300
            and not call.get("error_ids")
            and not call.get("message")
        )
        return {
            "account_id": account.id,
            "listing_id": listing.id if listing else False,
            "operation": call.get("operation") or "",
            "request_id": call.get("request_id"),
            "http_status": call.get("status", 0),
            "state": "success" if ok else "failed",
            "error_ids": ",".join(str(i) for i in call.get("error_ids") or []) or False,
            "message": call.get("message") or False,
            "duration_ms": call.get("duration_ms", 0),
        }
