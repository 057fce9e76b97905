"""eBay joins the neutral account as a channel (the way a payment provider adds
its code): the selection value here, eBay's behaviour in the files beside."""

from odoo import fields, models

from ...ebay import EbayError
from ...ebay.errors import actionable

# Calls sent with POST that only read: a lost answer changes nothing on eBay.
READ_OPERATIONS = frozenset({"bulkGetInventoryItem", "getListingFees"})


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    channel = fields.Selection(
        selection_add=[("ebay", "eBay")], ondelete={"ebay": "cascade"}
    )

    # -- the job edge's hooks (models/marketplace/job_edge.py) ----------------------
    # eBay's errors subclass apiclient's, so the neutral reading of an error's
    # outcome (transient or refused) serves eBay as it is.
    def _marketplace_client(self, on_call=None):
        if self.channel != "ebay":
            return super()._marketplace_client(on_call=on_call)
        return self._ebay_client(on_call=on_call)

    def _marketplace_error_message(self, exc):
        if self.channel != "ebay" or not isinstance(exc, EbayError):
            return super()._marketplace_error_message(exc)
        return actionable(exc)

    def _marketplace_read_only_call(self, call):
        if self.channel != "ebay":
            return super()._marketplace_read_only_call(call)
        return call.get("operation") in READ_OPERATIONS
