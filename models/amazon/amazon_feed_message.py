"""One message of a JSON_LISTINGS_FEED: a listing's part of a feed.

A message is what was sent for one listing (its ``messageId`` in the feed,
the operation, and for stock and price the quantity and price it carried)
and what Amazon's processing report said of it.  The values sent are kept so
that an accepted message records exactly what Amazon now has, even when
Odoo's values moved on while the feed waited in Amazon's queue.
"""

from odoo import fields, models

MESSAGE_STATES = [
    ("pending", "Waiting to be sent"),
    ("sent", "Sent"),
    ("accepted", "Accepted"),
    ("invalid", "Invalid"),
    # The feed ended FATAL or CANCELLED without a word on this message:
    # Amazon may or may not have applied it, so it is sent again.
    ("lost", "Lost (sent again)"),
    # No longer needed when the feed was submitted (the listing was pushed
    # meanwhile, or is no longer live).
    ("dropped", "Dropped"),
]
OPERATIONS = [
    ("UPDATE", "Update (full listing)"),
    ("PARTIAL_UPDATE", "Partial update"),
    ("PATCH", "Patch"),
    ("DELETE", "Delete"),
]


class AmazonFeedMessage(models.Model):
    _name = "amazon.feed.message"
    _description = "Amazon Feed Message"
    _order = "feed_id desc, message_id"
    _inherit = ["marketplace.protected.fields.mixin"]

    feed_id = fields.Many2one(
        "amazon.feed",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
        system_field=True,
    )
    company_id = fields.Many2one(
        related="feed_id.company_id", store=True, system_field=True
    )
    message_id = fields.Integer(
        string="Message ID",
        readonly=True,
        system_field=True,
        help="The message's messageId in the feed (unique within the feed).",
    )
    listing_id = fields.Many2one(
        "amazon.listing",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
        system_field=True,
    )
    sku = fields.Char(related="listing_id.sku", string="SKU")
    operation = fields.Selection(
        OPERATIONS, required=True, readonly=True, system_field=True
    )
    state = fields.Selection(
        MESSAGE_STATES,
        default="pending",
        required=True,
        index=True,
        readonly=True,
        system_field=True,
    )
    quantity = fields.Integer(
        readonly=True, system_field=True, help="The quantity the message carried."
    )
    price = fields.Float(
        digits="Product Price",
        readonly=True,
        system_field=True,
        help="The price the message carried.",
    )
    issues = fields.Text(
        readonly=True,
        system_field=True,
        help="What Amazon's processing report said of this message.",
    )

    _sql_constraints = [
        (
            "feed_message_uniq",
            "unique(feed_id, message_id)",
            "A message id is used once per feed.",
        ),
    ]
