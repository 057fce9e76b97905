"""What a product template says to eBay before any listing exists (its
category, condition and item specifics), and the eBay listings of its
variants."""

import json

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

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
    ebay_picker_problem = fields.Char(compute="_compute_ebay_picker_problem")
    ebay_missing_aspects = fields.Char(
        compute="_compute_ebay_missing_aspects",
        help="The item specifics eBay requires in the category that have no value.",
    )

    @api.constrains("ebay_category_id")
    def _check_ebay_category_id(self):
        self.ebay_category_id._check_leaf()

    @api.depends_context("uid", "company")
    def _compute_ebay_picker_problem(self):
        accounts = self.env["ebay.category"]._ebay_picker_accounts()
        problem = (
            self.env._("Connect an eBay account first: the categories come from eBay.")
            if accounts is not None and not accounts
            else False
        )
        for template in self:
            template.ebay_picker_problem = problem

    @api.depends(
        "ebay_category_id.aspects_json",
        "ebay_aspect_ids.name",
        "ebay_aspect_ids.value",
        "attribute_line_ids.attribute_id",
    )
    def _compute_ebay_missing_aspects(self):
        for template in self:
            # The cached answer only: a form is not where eBay is called.  The
            # cache row itself (_origin): in a form the category is a new
            # record holding the value it had when the form read it.
            category = template.ebay_category_id._origin
            aspects = json.loads(category.aspects_json or "[]")
            filled = {
                (line.name or "").strip().casefold()
                for line in template.ebay_aspect_ids
                if (line.value or "").strip()
            } | {
                # A variant's attribute values become its item specifics.
                line.attribute_id.name.strip().casefold()
                for line in template.attribute_line_ids
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
            # The category's aspects are read from eBay into its cache row
            # here; the note of missing item specifics, computed after this
            # from that row (_origin), follows before the product is saved.
            template.ebay_aspect_ids = template._ebay_required_aspect_commands()

    def _ebay_required_aspect_commands(self):
        """Commands adding the names of the item specifics the category
        requires that the product lacks (without a value)."""
        self.ensure_one()
        names = self.ebay_category_id._origin._required_aspect_names()
        have = {(line.name or "").casefold() for line in self.ebay_aspect_ids} | {
            line.attribute_id.name.casefold() for line in self.attribute_line_ids
        }
        return [
            Command.create({"name": name})
            for name in names
            if name.casefold() not in have
        ]

    # -- browsing eBay's tree ---------------------------------------------------
    def action_browse_ebay_categories(self):
        """eBay's tree from the top, to go down to the product's category."""
        self.ensure_one()
        accounts = self.env["ebay.category"]._ebay_picker_accounts()
        if not accounts:
            raise UserError(
                self.env._(
                    "Connect an eBay account first: the categories come from eBay."
                )
            )
        account = (
            accounts.filtered(
                lambda a: a.ebay_marketplace_id == self.ebay_category_id.marketplace_id
            )
            or accounts
        )[:1]
        return self.env["ebay.category.browser"]._open_for(
            self, account, back_to_dialog=self.env.context.get("ebay_details_dialog")
        )

    def _ebay_category_chosen(self, back_to_dialog=False):
        """After a category was chosen by browsing: its required item
        specifics are added, and the product's form (or dialog) comes back."""
        self.ensure_one()
        commands = self._ebay_required_aspect_commands()
        if commands:
            self.ebay_aspect_ids = commands
        if back_to_dialog:
            return self.action_edit_ebay_details()
        return {"type": "ir.actions.act_window_close"}

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
            "context": {"ebay_details_dialog": True},
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
