"""What an account knows of its orders and notifications, on every channel."""

from odoo import fields, models


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    order_ids = fields.One2many("marketplace.order", "account_id", string="Orders")
    notification_ids = fields.One2many("marketplace.notification", "account_id")

    def _channel_label(self):
        """The channel's name as people read it (its selection label), for
        the messages the neutral layer writes."""
        self.ensure_one()
        labels = dict(self._fields["channel"]._description_selection(self.env))
        return labels.get(self.channel) or self.channel or ""
