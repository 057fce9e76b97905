"""What the publish wizards of every channel share: the products they act
on, taken from the selection of the product list or form that opened them
(a template stands for all its variants)."""

from odoo import api, fields, models


class MarketplaceProductsWizardMixin(models.AbstractModel):
    _name = "marketplace.products.wizard.mixin"
    _description = "Products a marketplace wizard acts on"

    product_ids = fields.Many2many("product.product", string="Products")

    @api.model
    def _connected_account(self, channel):
        """The company's first connected account of ``channel``: the one a
        publish wizard proposes."""
        return self.env["marketplace.account"].search(
            [
                ("channel", "=", channel),
                ("state", "=", "connected"),
                ("company_id", "=", self.env.company.id),
            ],
            limit=1,
        )

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
