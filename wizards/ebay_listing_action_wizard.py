"""Publish or end many products on eBay at once, with a validation preview."""

from odoo import api, fields, models
from odoo.exceptions import UserError


class EbayListingActionWizard(models.TransientModel):
    _name = "ebay.listing.action.wizard"
    _description = "Publish or end products on eBay"

    account_id = fields.Many2one(
        "marketplace.account",
        required=True,
        domain="[('state', '=', 'connected')]",
        default=lambda self: self.env["marketplace.account"].search(
            [("state", "=", "connected")], limit=1
        ),
    )
    operation = fields.Selection(
        [("publish", "Publish to eBay"), ("end", "End on eBay")],
        required=True,
        default="publish",
    )
    product_ids = fields.Many2many("product.product", string="Products")
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
            variants = templates.product_variant_ids
            values["product_ids"] = [fields.Command.set(variants.ids)]
        return values

    @api.depends("account_id", "product_ids", "operation")
    def _compute_preview(self):
        for wizard in self:
            lines, ready = [], 0
            if wizard.operation == "publish" and wizard.account_id:
                Listing = self.env["ebay.listing"]
                for product in wizard.product_ids:
                    listing = Listing.search(
                        [
                            ("account_id", "=", wizard.account_id.id),
                            ("product_id", "=", product.id),
                        ],
                        limit=1,
                    ) or Listing.new(
                        {
                            "account_id": wizard.account_id.id,
                            "product_id": product.id,
                            "sku": product.default_code or "",
                            "title": product.name,
                            "price": product.lst_price,
                        }
                    )
                    problems = listing._problems()
                    if problems:
                        lines.append(
                            f"{product.display_name}: "
                            + "; ".join(message for _f, message in problems)
                        )
                    else:
                        ready += 1
            else:
                ready = len(wizard.product_ids)
            wizard.ready_count = ready
            wizard.preview = "\n".join(lines) or self.env._("All products are ready.")

    def action_apply(self):
        self.ensure_one()
        if not self.product_ids:
            raise UserError(self.env._("Select at least one product."))
        listings = self.product_ids._ebay_listings_for(self.account_id)
        if self.operation == "publish":
            listings.action_publish()
            return self.env["marketplace.bulk.progress"]._open_for(listings, "publish")
        listings.action_end()
        return self.env["marketplace.bulk.progress"]._open_for(listings, "end")
