"""Item specifics shared by every variant of a multi-variation listing."""

from odoo import fields, models


class EbayListingGroupAspect(models.Model):
    _name = "ebay.listing.group.aspect"
    _description = "eBay Shared Item Specific"
    _inherit = ["marketplace.protected.fields.mixin"]

    # Set when the line is created on its group; never moved to another one.
    group_id = fields.Many2one(
        "ebay.listing.group",
        required=True,
        ondelete="cascade",
        index=True,
        set_once=True,
    )
    company_id = fields.Many2one(
        related="group_id.company_id", store=True, index=True, system_field=True
    )
    name = fields.Char(required=True, size=40)
    value = fields.Char(required=True, size=50)
