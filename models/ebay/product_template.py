"""What a product template says to eBay before any listing exists (its
category, condition and item specifics), and the eBay listings of its
variants."""

import json

from odoo import Command, api, fields, models

from .ebay_listing import CONDITIONS


class ProductTemplate(models.Model):
    _inherit = "product.template"

    ebay_listing_count = fields.Integer(compute="_compute_ebay_listing_count")
    ebay_category_id = fields.Many2one(
        "ebay.category",
        string="eBay category",
        domain="[('leaf', '=', True)]",
        help="Type words that describe the product (eBay suggests categories) "
        "or an eBay category number.",
    )
    ebay_condition = fields.Selection(
        CONDITIONS, string="eBay condition", default="NEW"
    )
    ebay_aspect_ids = fields.One2many(
        "ebay.product.aspect",
        "product_tmpl_id",
        string="eBay item specifics",
    )
    ebay_missing_aspects = fields.Char(
        compute="_compute_ebay_missing_aspects",
        help="The item specifics eBay requires in the category that have no value.",
    )

    @api.constrains("ebay_category_id")
    def _check_ebay_category_id(self):
        self.ebay_category_id._check_leaf()

    @api.depends(
        "ebay_category_id.aspects_json",
        "ebay_aspect_ids.name",
        "ebay_aspect_ids.value",
    )
    def _compute_ebay_missing_aspects(self):
        for template in self:
            # The cached answer only: a form is not where eBay is called.
            aspects = json.loads(template.ebay_category_id.aspects_json or "[]")
            filled = {
                (line.name or "").strip().casefold()
                for line in template.ebay_aspect_ids
                if (line.value or "").strip()
            }
            template.ebay_missing_aspects = ", ".join(
                a["name"]
                for a in aspects
                if a.get("required") and a["name"].casefold() not in filled
            )

    @api.onchange("ebay_category_id")
    def _onchange_ebay_category_id(self):
        """Add the item specifics the chosen category requires, as names
        waiting for their value."""
        for template in self:
            names = template.ebay_category_id._origin._required_aspect_names()
            have = {(line.name or "").casefold() for line in template.ebay_aspect_ids}
            template.ebay_aspect_ids = [
                Command.create({"name": name})
                for name in names
                if name.casefold() not in have
            ]

    def action_edit_ebay_details(self):
        """The product's eBay details (category, condition, item specifics)
        in a dialog: where "Choose an eBay category" is fixed."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("eBay details of %(product)s", product=self.name),
            "res_model": "product.template",
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "marketplace_connector.product_template_view_form_ebay_details"
                    ).id,
                    "form",
                )
            ],
            "target": "new",
        }

    def _ebay_category_for(self, marketplace_id):
        """eBay's id of the product's category on ``marketplace_id``, or ""."""
        self.ensure_one()
        category = self.ebay_category_id
        return category.category_id if category.marketplace_id == marketplace_id else ""

    def _ebay_aspects(self):
        """{name: [value]} of the product's item specifics that have a value."""
        aspects = {}
        for line in self.ebay_aspect_ids:
            if (line.value or "").strip():
                aspects.setdefault(line.name, []).append(line.value)
        return aspects

    def _compute_ebay_listing_count(self):
        counts = dict(
            self.env["ebay.listing"]._read_group(
                [("product_id.product_tmpl_id", "in", self.ids)],
                ["product_id"],
                ["__count"],
            )
        )
        for template in self:
            template.ebay_listing_count = sum(
                counts.get(variant, 0) for variant in template.product_variant_ids
            )

    def action_open_ebay_listings(self):
        return self.product_variant_ids.action_open_ebay_listings()
