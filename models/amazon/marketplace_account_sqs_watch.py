"""What the cockpit reads of an account's SQS queue, until the notification
set-up (models/amazon/marketplace_account_notification.py) defines it.

Written by the notification set-up and the SQS poll job only (as the
system); the cockpit reads them.  The names are the shared design's
(AMAZON13_DESIGN.md): the notification side declares the same fields, and
Odoo merges the two declarations of a field.
"""

from odoo import fields, models


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    amazon_order_subscription_id = fields.Char(
        string="ORDER_CHANGE subscription",
        readonly=True,
        copy=False,
        system_field=True,
    )
    amazon_sqs_last_poll = fields.Datetime(
        string="Last SQS receive",
        readonly=True,
        copy=False,
        system_field=True,
        help="When the account's SQS queue was last received from successfully.",
    )
    amazon_sqs_backlog = fields.Integer(
        string="SQS backlog",
        readonly=True,
        copy=False,
        system_field=True,
        help="Messages waiting in the queue, as the last receive saw them.",
    )
