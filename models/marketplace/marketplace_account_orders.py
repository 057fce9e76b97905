"""What an account knows of its orders and notifications, on every channel."""

from odoo import fields, models


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    order_ids = fields.One2many("marketplace.order", "account_id", string="Orders")
    notification_ids = fields.One2many("marketplace.notification", "account_id")
