"""What the notification inbox shows a person: the topic in words."""

from odoo import fields, models


class MarketplaceNotification(models.Model):
    _inherit = "marketplace.notification"

    topic_label = fields.Char(string="About", compute="_compute_topic_label")

    def _compute_topic_label(self):
        labels = {}
        for notification in self:
            account = notification.account_id
            if account.channel not in labels:
                labels[account.channel] = account._marketplace_topic_labels()
            notification.topic_label = labels[account.channel].get(
                notification.topic, notification.topic
            )
