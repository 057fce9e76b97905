"""Amazon joins the neutral account as a channel (the way a payment provider
adds its code): the selection value here, Amazon's behaviour in the files
beside (client, token, consent, secret rotation)."""

from odoo import fields, models

from ...amazon import AmazonError, actionable


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    channel = fields.Selection(
        selection_add=[("amazon", "Amazon")], ondelete={"amazon": "cascade"}
    )

    # -- the job edge's hooks (models/marketplace/job_edge.py) ----------------------
    # Amazon's errors subclass apiclient's, so the neutral reading of an
    # error's outcome (transient or refused) serves Amazon as it is.
    def _marketplace_client(self, on_call=None):
        if self.channel != "amazon":
            return super()._marketplace_client(on_call=on_call)
        return self._amazon_client(on_call=on_call)

    def _marketplace_error_message(self, exc):
        if self.channel != "amazon" or not isinstance(exc, AmazonError):
            return super()._marketplace_error_message(exc)
        return actionable(exc)

    def _marketplace_read_only_call(self, call):
        if self.channel != "amazon":
            return super()._marketplace_read_only_call(call)
        # The client marks the writes that change nothing (a
        # VALIDATION_PREVIEW); any other non-GET call may have changed the
        # listing, so its lost answer leaves the outcome unknown.
        return bool(call.get("read_only"))
