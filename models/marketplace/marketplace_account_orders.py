"""What an account knows of its orders and notifications, on every channel."""

from odoo import fields, models


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    order_ids = fields.One2many("marketplace.order", "account_id", string="Orders")
    notification_ids = fields.One2many("marketplace.notification", "account_id")
    # Kept by each channel's order poll; the health report and the
    # late-import alert read them for every channel.
    order_watermark = fields.Datetime(
        readonly=True,
        copy=False,
        system_field=True,
        help="Orders modified up to here are imported.",
    )
    # When the last *successful* poll started (a failed poll leaves it as it
    # was): the health report measures lateness from it.
    last_order_poll = fields.Datetime(
        string="Last successful order poll",
        readonly=True,
        copy=False,
        system_field=True,
        help="When the last poll that completed without error started.",
    )
    # Why the last poll failed; cleared by the next successful poll.
    order_poll_error = fields.Text(readonly=True, copy=False, system_field=True)
