"""Item specifics (eBay aspects) chosen on a product, before any listing.

A listing made from the product takes them when it has none of its own.
"""

from odoo import api, fields, models


class EbayProductAspect(models.Model):
    _name = "ebay.product.aspect"
    _description = "eBay Item Specific of a Product"
    _inherit = ["marketplace.protected.fields.mixin"]
    _order = "product_tmpl_id, id"

    # Set when the line is created on its product; never moved to another
    # one (a line moved would take its company's record rule along).
    product_tmpl_id = fields.Many2one(
        "product.template",
        required=True,
        ondelete="cascade",
        index=True,
        set_once=True,
    )
    company_id = fields.Many2one(
        related="product_tmpl_id.company_id", store=True, index=True, system_field=True
    )
    name = fields.Char(required=True, size=40)
    value = fields.Char(size=50)

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        # Item specifics are part of the product: whoever may not change the
        # product may not change them either.
        records.product_tmpl_id.check_access("write")
        return records

    def write(self, vals):
        self.product_tmpl_id.check_access("write")
        return super().write(vals)

    def unlink(self):
        self.product_tmpl_id.check_access("write")
        return super().unlink()
