"""Stored field the dashboard groups calls by: throttled or not.

Kept apart from the call model so the dashboard stays one concern.
"""

from odoo import api, fields, models


class MarketplaceCall(models.Model):
    _inherit = "marketplace.call"

    # Stored so graphs and pivots can group calls by it: a throttled call is
    # the marketplace asking us to slow down, not a failure of the data we sent.
    is_throttled = fields.Boolean(
        string="Throttled",
        compute="_compute_is_throttled",
        store=True,
        index=True,
        help="The marketplace answered 429 Too Many Requests.",
    )

    @api.depends("http_status")
    def _compute_is_throttled(self):
        for attempt in self:
            attempt.is_throttled = attempt.http_status == 429
