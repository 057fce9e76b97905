"""Publish or end many products on eBay at once, with a validation preview."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.ebay.ebay_listing import CONDITIONS


class EbayListingActionWizard(models.TransientModel):
    _name = "ebay.listing.action.wizard"
    _description = "Publish or end products on eBay"
    _inherit = "marketplace.products.wizard.mixin"

    account_id = fields.Many2one(
        "marketplace.account",
        required=True,
        domain="[('channel', '=', 'ebay'), ('state', '=', 'connected')]",
        default=lambda self: self._connected_account("ebay"),
    )
    marketplace_id = fields.Selection(related="account_id.ebay_marketplace_id")
    operation = fields.Selection(
        [("publish", "Publish to eBay"), ("end", "End on eBay")],
        required=True,
        default="publish",
    )
    # Set for every selected product at once; empty: each keeps its own.
    category_id = fields.Many2one(
        "ebay.category",
        string="eBay category for all",
        domain="[('leaf', '=', True), ('marketplace_id', '=', marketplace_id)]",
    )
    condition = fields.Selection(CONDITIONS, string="Condition for all")
    preview = fields.Text(compute="_compute_preview")
    ready_count = fields.Integer(compute="_compute_preview")

    def _bulk_values(self):
        """What the wizard sets on every listing, from its "for all" fields."""
        values = {}
        if self.category_id:
            values["category_id"] = self.category_id.category_id
        if self.condition:
            values["condition"] = self.condition
        return values

    @api.depends("account_id", "product_ids", "operation", "category_id", "condition")
    def _compute_preview(self):
        for wizard in self:
            lines, ready = [], 0
            if wizard.operation == "publish" and wizard.account_id:
                Listing = self.env["ebay.listing"]
                # While the dialog is edited the wizard is a new record: its
                # account and products are new records too, whose ids are not
                # the database's.  The listings are searched by the real ids.
                account = wizard.account_id._origin
                for product in wizard.product_ids:
                    product = product._origin
                    existing = Listing.search(
                        [
                            ("account_id", "=", account.id),
                            ("product_id", "=", product.id),
                        ],
                        limit=1,
                    )
                    # The listing as the wizard would publish it (its own
                    # values, or a new one's), with the "for all" values.
                    listing = Listing.new(
                        dict(
                            {
                                "account_id": account.id,
                                "product_id": product.id,
                                "sku": product.default_code or "",
                                "title": product.name,
                                "price": product.lst_price,
                                "condition": product.ebay_condition or "NEW",
                            }
                            if not existing
                            else {},
                            **wizard._bulk_values(),
                        ),
                        origin=existing or None,
                    )
                    problems = listing._problems()
                    if problems:
                        lines.append(
                            f"{product.display_name}: "
                            + "; ".join(message for _f, message in problems)
                        )
                    else:
                        ready += 1
            elif not wizard.account_id:
                lines.append(self.env._("Connect an eBay account first."))
            else:
                ready = len(wizard.product_ids)
            wizard.ready_count = ready
            wizard.preview = "\n".join(lines) or self.env._("All products are ready.")

    def action_browse_categories(self):
        """eBay's tree from the top, to choose the category for all."""
        self.ensure_one()
        return self.env["ebay.category.browser"]._open_for(self, self.account_id)

    def _ebay_category_chosen(self, back_to_dialog=False):
        """Back to this dialog once a category was chosen by browsing."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Publish to eBay / End on eBay"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def action_apply(self):
        self.ensure_one()
        if not self.product_ids:
            raise UserError(self.env._("Select at least one product."))
        listings = self.product_ids._ebay_listings_for(self.account_id)
        bulk = self._bulk_values()
        if bulk:
            listings.write(bulk)
        if self.operation == "publish":
            return self.env["marketplace.bulk.progress"]._open_for(
                listings, "publish", listings.action_publish()
            )
        listings.action_end()
        return self.env["marketplace.bulk.progress"]._open_for(listings, "end")
