"""What a product template says to Amazon: its product type (chosen by a
search against the Product Type Definitions API), the product data Odoo has
no field for (brand, bullet points) and attribute overrides; and the Amazon
listings of its variants."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ...amazon.attributes import InvalidProductValue, merge_overrides
from .amazon_listing import CONDITIONS


class ProductTemplate(models.Model):
    _inherit = "product.template"

    amazon_product_type_id = fields.Many2one(
        "amazon.product.type",
        string="Amazon product type",
        help="Chosen with Search: Amazon's product type for this product's listings.",
    )
    amazon_title = fields.Char(help="Empty: the product's name.")
    amazon_brand = fields.Char(string="Brand (Amazon)")
    amazon_bullet_points = fields.Text(
        string="Bullet points", help="One key feature per line (Amazon shows five)."
    )
    amazon_condition = fields.Selection(CONDITIONS, default="new_new")
    amazon_attribute_overrides = fields.Text(
        string="Amazon attribute overrides",
        help="JSON object of Amazon attributes that replace the ones Odoo maps, "
        'e.g. {"material": [{"value": "Cotton"}]}.',
    )
    amazon_parent_sku = fields.Char(
        string="Amazon parent SKU",
        help="The SKU of the variation family's parent on Amazon (a template "
        "with variants); empty: TMPL-<id>.",
    )
    amazon_listing_count = fields.Integer(compute="_compute_amazon_listing_count")

    @api.constrains("amazon_attribute_overrides")
    def _check_amazon_attribute_overrides(self):
        for template in self:
            try:
                merge_overrides({}, template.amazon_attribute_overrides or None)
            except InvalidProductValue as err:
                raise ValidationError(err.message) from None

    def _compute_amazon_listing_count(self):
        counts = dict(
            self.env["amazon.listing"]._read_group(
                [("product_tmpl_id", "in", self.ids)], ["product_tmpl_id"], ["__count"]
            )
        )
        for template in self:
            template.amazon_listing_count = counts.get(template, 0)

    def action_search_amazon_product_type(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Amazon product type"),
            "res_model": "amazon.product.type.search.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_product_tmpl_id": self.id,
                "default_keywords": self.name,
            },
        }

    def action_open_amazon_listings(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Amazon listings"),
            "res_model": "amazon.listing",
            "view_mode": "list,form",
            "domain": [("product_tmpl_id", "in", self.ids)],
        }

    def _amazon_listings_for(self, account, participation, variation_theme=None):
        """The Amazon listings of this template in ``participation`` (one of
        the account's marketplaces),
        created when missing: one per variant, and a parent with its
        variation theme when the template has several variants."""
        self.ensure_one()
        Listing = self.env["amazon.listing"]
        variants = self.product_variant_ids
        base = {"account_id": account.id, "participation_id": participation.id}
        existing = Listing.search(
            [
                ("account_id", "=", account.id),
                ("participation_id", "=", participation.id),
                ("product_tmpl_id", "=", self.id),
            ]
        )
        if len(variants) < 2:
            if existing:
                return existing
            return Listing.create([dict(base, product_id=variants.id)])
        parent = existing.filtered(lambda l: l.parentage == "parent")
        if not parent:
            theme = variation_theme or self._amazon_variation_theme()
            parent = Listing.create(
                [
                    dict(
                        base,
                        product_id=variants[0].id,
                        sku=self.amazon_parent_sku or f"TMPL-{self.id}",
                        parentage="parent",
                        variation_theme=theme,
                    )
                ]
            )
        children = existing.filtered(lambda l: l.parentage == "child")
        missing = variants - children.product_id
        children |= Listing.create(
            [
                dict(
                    base, product_id=variant.id, parentage="child", parent_id=parent.id
                )
                for variant in missing
            ]
        )
        return parent | children

    def _amazon_variation_theme(self):
        """Amazon's theme from the attributes the variants differ by (Size
        and Color: SIZE/COLOR)."""
        names = [
            line.attribute_id.name.strip().upper()
            for line in self.attribute_line_ids
            if len(line.value_ids) > 1
            and line.attribute_id.create_variant != "no_variant"
        ]
        order = {"SIZE": 0, "COLOR": 1}
        names.sort(key=lambda n: (order.get(n, 2), n))
        return "/".join(names)
