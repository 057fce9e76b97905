"""Publish many products on Amazon at once: one marketplace, a product type
and a condition for all of them (or each product's own), with a preview of
what is missing before anything is queued."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.amazon.amazon_listing import CONDITIONS


class AmazonListingActionWizard(models.TransientModel):
    _name = "amazon.listing.action.wizard"
    _description = "Publish products on Amazon"

    account_id = fields.Many2one(
        "marketplace.account",
        required=True,
        domain="[('channel', '=', 'amazon'), ('state', '=', 'connected')]",
        default=lambda self: self.env["marketplace.account"].search(
            [
                ("channel", "=", "amazon"),
                ("state", "=", "connected"),
                ("company_id", "=", self.env.company.id),
            ],
            limit=1,
        ),
    )
    participation_id = fields.Many2one(
        "amazon.marketplace.participation",
        string="Marketplace",
        required=True,
        compute="_compute_participation_id",
        store=True,
        readonly=False,
        domain="[('account_id', '=', account_id), ('selected', '=', True)]",
    )
    marketplace_code = fields.Char(related="participation_id.marketplace_id")
    product_ids = fields.Many2many("product.product", string="Products")
    # Set for every selected product at once; empty: each keeps its own.
    product_type_id = fields.Many2one(
        "amazon.product.type",
        string="Product type for all",
        domain="[('marketplace_code', '=', marketplace_code)]",
    )
    condition = fields.Selection(CONDITIONS, string="Condition for all")
    preview = fields.Text(compute="_compute_preview")
    ready_count = fields.Integer(compute="_compute_preview")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        ctx = self.env.context
        if ctx.get("active_model") == "product.product":
            values["product_ids"] = [fields.Command.set(ctx.get("active_ids", []))]
        elif ctx.get("active_model") == "product.template":
            templates = self.env["product.template"].browse(ctx.get("active_ids", []))
            values["product_ids"] = [
                fields.Command.set(templates.product_variant_ids.ids)
            ]
        return values

    @api.depends("account_id")
    def _compute_participation_id(self):
        for wizard in self:
            wizard.participation_id = wizard.account_id.amazon_default_participation_id

    @api.depends("product_ids", "product_type_id", "participation_id")
    def _compute_preview(self):
        for wizard in self:
            lines, ready = [], 0
            for template in wizard.product_ids._origin.product_tmpl_id:
                product_type = wizard.product_type_id or template.amazon_product_type_id
                if not product_type:
                    lines.append(
                        self.env._(
                            "%(product)s: choose an Amazon product type (here for "
                            "all, or on the product's Amazon tab).",
                            product=template.display_name,
                        )
                    )
                else:
                    ready += len(
                        template.product_variant_ids & wizard.product_ids._origin
                    )
            wizard.ready_count = ready
            wizard.preview = "\n".join(lines) or self.env._(
                "All products have a product type; Amazon's rules for it are "
                "checked when they are published."
            )

    def action_apply(self):
        self.ensure_one()
        if not self.product_ids:
            raise UserError(self.env._("Select at least one product."))
        listings = self.env["amazon.listing"]
        for template in self.product_ids.product_tmpl_id:
            family = template._amazon_listings_for(
                self.account_id, self.participation_id
            )
            # A template with variants is one family: parent and children.
            listings |= family.filtered(
                lambda l: l.parentage == "parent" or l.product_id in self.product_ids
            )
        bulk = {}
        if self.product_type_id:
            bulk["product_type_id"] = self.product_type_id.id
        if self.condition:
            bulk["condition"] = self.condition
        if bulk:
            listings.write(bulk)
        return self.env["marketplace.bulk.progress"]._open_for(
            listings, "publish", listings.action_publish()
        )
